import { IntentPanel } from './intent-badge';

export default function Home() {
  return (
    <>
      <h1>Close the books faster</h1>
      <p>Reconciliations that run every day instead of once a month.</p>
      <IntentPanel />
    </>
  );
}
