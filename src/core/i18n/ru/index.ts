/** The Russian catalogue, assembled from one file per area (scripts/codemods/split-catalogues.mjs). */
import type { Messages } from '../en/index.js';
import { app, nav, home, about, common, errorPage } from './app.js';
import { ui } from './ui.js';
import { setup } from './setup.js';
import { auth, totp, passphrase, lock } from './auth.js';
import { trust, membership } from './membership.js';
import { invite, invitations, members } from './members.js';
import { cli } from './cli.js';
import { account } from './account.js';
import { audit } from './audit.js';
import { errors } from './errors.js';
import { casework } from './casework.js';

export const ru: Messages = {
  app,
  ui,
  nav,
  home,
  about,
  setup,
  common,
  auth,
  totp,
  passphrase,
  lock,
  trust,
  invite,
  invitations,
  members,
  errorPage,
  cli,
  account,
  audit,
  membership,
  casework,
  errors,
};
