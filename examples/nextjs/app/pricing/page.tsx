import { DemoButton } from '../demo-button';

// Rendered on every request, as a page that reads cookies or headers is. Its client components are rendered on the
// server each time, with the tracker that does nothing there.
export const dynamic = 'force-dynamic';

export default function Pricing() {
  return (
    <>
      <h1>Pricing</h1>
      <p>Team: $49 a month. Business: $199 a month.</p>
      <DemoButton />
    </>
  );
}
