/** Files in the age v1 format (C2SP age): keys, encryption, decryption, armor. */
export * from './keys.js';
