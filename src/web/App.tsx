import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { RequireAction, RequireMember } from './components/Guards.js';
import { comingSections, Layout } from './components/Layout.js';
import { OrganizationProvider } from './organization.js';
import { AboutPage } from './pages/AboutPage.js';
import { AccountPage } from './pages/AccountPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { ComingPage } from './pages/ComingPage.js';
import { NotFoundPage, RouteErrorPage } from './pages/ErrorPages.js';
import { HomePage } from './pages/HomePage.js';
import { InvitePage } from './pages/InvitePage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MembersPage } from './pages/MembersPage.js';
import { SecondFactorPage } from './pages/SecondFactorPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { TotpEnrollmentPage } from './pages/TotpEnrollmentPage.js';
import { CaseListPage, CasePage, SearchPage } from './pages/cases/index.js';
import { HandoverPage } from './pages/HandoverPage.js';
import { NotificationsPage } from './pages/NotificationsPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { QueryClientProvider } from '@tanstack/react-query';
import { newQueryClient } from './queries.js';
import { SessionProvider } from './session.js';
import { ToastProvider } from './ui/index.js';

/**
 * Every page of the app; later features add their routes here, inside the layout.
 * Pages a member works in go under RequireMember (login, pinned organization
 * key, unlocked keys); pages only some roles use add a RequireAction level.
 */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: 'setup', element: <SetupPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'login/totp', element: <TotpEnrollmentPage /> },
      { path: 'login/second-factor', element: <SecondFactorPage /> },
      { path: 'invite', element: <InvitePage /> },
      { path: 'about', element: <AboutPage /> },
      {
        element: <RequireMember />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'tasks', element: <TasksPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { element: <RequireAction action="cases.handover" />, children: [{ path: 'cases/handover', element: <HandoverPage /> }] },
          ...comingSections.map((section) => ({ path: section, element: <ComingPage section={section} /> })),
          {
            element: <RequireAction action="cases.list" />,
            children: [
              { path: 'cases', element: <CaseListPage /> },
              { path: 'cases/:code', element: <CasePage /> },
            ],
          },
          { element: <RequireAction action="cases.search" />, children: [{ path: 'search', element: <SearchPage /> }] },
          { element: <RequireAction action="members.list" />, children: [{ path: 'members', element: <MembersPage /> }] },
          { element: <RequireAction action="audit.read" />, children: [{ path: 'audit', element: <AuditPage /> }] },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);
const queryClient = newQueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <OrganizationProvider>
          <SessionProvider onSignedOut={() => queryClient.clear()}>
            <RouterProvider router={router} />
          </SessionProvider>
        </OrganizationProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
