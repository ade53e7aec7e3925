import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { Layout } from './components/Layout.js';
import { OrganizationProvider } from './organization.js';
import { AboutPage } from './pages/AboutPage.js';
import { NotFoundPage, RouteErrorPage } from './pages/ErrorPages.js';
import { HomePage } from './pages/HomePage.js';
import { SetupPage } from './pages/SetupPage.js';

/** Every page of the app; later features add their routes here, inside the layout. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'setup', element: <SetupPage /> },
      { path: 'about', element: <AboutPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return (
    <OrganizationProvider>
      <RouterProvider router={router} />
    </OrganizationProvider>
  );
}
