// The module imported in a server component, rendered on each request: it
// throws nothing and never sees the visitor's choice.
import Link from 'next/link';
import { accepted, consent } from 'koekje-consent';

export const dynamic = 'force-dynamic';

export default function ServerPage() {
  return (
    <main>
      <p id="server">accepted: {String(accepted('analytics'))}, consent: {String(consent())}</p>
      <Link id="to-home" href="/">home</Link>
    </main>
  );
}
