// The dashboard's boot module (what trunk would otherwise inline into index.html): an
// external file, so the page runs under a Content-Security-Policy without
// 'unsafe-inline' (see docs/dashboard.md). init() fetches phase7-web_bg.wasm next to
// phase7-web.js and runs the crate's main(), which mounts the dashboard on <body>
// unless the page asks for a manual mount.
import init from "./phase7-web.js";

await init();
