// A small React app that uses the installed package as a developer would:
// StrictMode, client-side routes, and the README's recipes (written beside
// this file by the test): the useAccepted hook while rendering, and a held
// embed whose data-src changes on a re-render.
import { StrictMode, createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useAccepted } from './use-accepted.js';
import Video from './Video.jsx';

function App() {
  const [path, setPath] = useState(location.pathname);
  const [video, setVideo] = useState('/frame-a.html');
  const analytics = useAccepted('analytics');
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = (to) => {
    history.pushState(null, '', to);
    setPath(to);
  };
  return h('main', null,
    h('h1', { id: 'title' }, `page ${path}, analytics ${analytics ? 'on' : 'off'}`),
    h('button', { id: 'to-b', onClick: () => go('/b') }, 'to page b'),
    h('button', { id: 'next-video', onClick: () => setVideo('/frame-b.html') }, 'next video'),
    h(Video, { url: video }));
}

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)));
window.__rendered = performance.now();
