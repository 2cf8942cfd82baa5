import type { ReactNode } from 'react';
import Link from 'next/link';
import { IntentBadge } from './intent-badge';

export const metadata = { title: 'Inkling with Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // Inkling writes data-inkling-intent on <html> (for CSS) as soon as it starts, which can be before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <body>
        <header>
          <Link href="/">Home</Link> ·{' '}
          <Link href="/pricing" id="pricing">
            Pricing
          </Link>{' '}
          · Your intent: <IntentBadge />
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
