// A small React app that uses the installed package as a developer would:
// StrictMode, client-side routes, accepted() called while rendering, and a
// held iframe whose data-src changes on a re-render.
import { StrictMode, createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { accepted, ready } from 'koekje-consent';
import 'koekje-consent/koekje.css';

function App() {
  const [path, setPath] = useState(location.pathname);
  const [video, setVideo] = useState('/frame-a.html');
  const [, setState] = useState(0);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    const onConsent = () => setState((n) => n + 1);
    addEventListener('popstate', onPop);
    addEventListener('koekje:consent', onConsent);
    ready.then(onConsent);
    return () => {
      removeEventListener('popstate', onPop);
      removeEventListener('koekje:consent', onConsent);
    };
  }, []);
  const go = (to) => {
    history.pushState(null, '', to);
    setPath(to);
  };
  return h('main', null,
    h('h1', { id: 'title' }, `page ${path}, analytics ${accepted('analytics') ? 'on' : 'off'}`),
    h('button', { id: 'to-b', onClick: () => go('/b') }, 'to page b'),
    h('button', { id: 'next-video', onClick: () => setVideo('/frame-b.html') }, 'next video'),
    h('div', null, h('iframe', { 'data-category': 'analytics', 'data-service': 'youtube', 'data-src': video, title: 'video', width: 320, height: 180 })));
}

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)));
window.__rendered = performance.now();
