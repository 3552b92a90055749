// A server component that renders the README's client component (Video.jsx)
// and links to a page that imports the module on the server.
import Link from 'next/link';
import Video from './Video.jsx';

export default function Home() {
  return (
    <main>
      <h1>home</h1>
      <Video url="/frame-a.html" />
      <Link id="to-server" href="/server">server page</Link>
    </main>
  );
}
