// The scratch project (one folder up) holds node_modules: it is the root.
export default { turbopack: { root: new URL('..', import.meta.url).pathname } };
