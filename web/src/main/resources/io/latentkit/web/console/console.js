// The latentkit console: reads the namespace from OSCQuery (GET /), builds its panels from it, and
// talks to the server over OSCQuery's WebSocket: binary OSC both ways (the same messages as over
// UDP), LISTEN for every readable value so that every open console shows the same state.

import { encode, decode } from './osc.js';
import { buildPanels } from './panels.js';

const NOTIFY_EVERY_MS = 10_000; // /notify leases last 30 s
const STATUS_EVERY_MS = 1_000;

class Link {
  constructor() {
    this.handlers = new Map();
    this.follow = new Set();
    this.onOpen = () => {};
    this.onTree = () => {};
    this.open = false;
    this.sentIds = new Map();
    this.nextId = 1;
    this.latenciesMs = [];
  }

  connect() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      document.body.classList.add('online');
      for (const a of this.follow) this.sendListen(a);
      this.onOpen();
    };
    ws.onclose = () => {
      this.open = false;
      document.body.classList.remove('online');
      setTimeout(() => this.connect(), 1000);
    };
    ws.onmessage = ev => {
      if (typeof ev.data === 'string') {
        const m = JSON.parse(ev.data);
        if (m.COMMAND === 'PATH_ADDED' || m.COMMAND === 'PATH_REMOVED') this.onTree(m);
        return;
      }
      decode(ev.data, (address, types, args) => this.dispatch(address, types, args));
    };
  }

  dispatch(address, types, args) {
    const set = this.handlers.get(address);
    if (set) for (const fn of set) fn(args, types);
    const any = this.handlers.get('*');
    if (any) for (const fn of any) fn(args, types, address);
  }

  /** Calls fn(args, types) for every message to address ('*' for every message). */
  on(address, fn) {
    if (!this.handlers.has(address)) this.handlers.set(address, new Set());
    this.handlers.get(address).add(fn);
  }

  send(address, types = '', args = []) {
    if (this.open) this.ws.send(encode(address, types, args));
  }

  /** A hit with a reply id: the server answers /started when its voice starts. */
  hit(address, velocity) {
    const id = this.nextId++;
    this.sentIds.set(id, performance.now());
    this.send(address, 'fi', [velocity, id]);
  }

  /** Follows a method's value (OSCQuery LISTEN), now and after every reconnect. */
  listen(address) {
    this.follow.add(address);
    if (this.open) this.sendListen(address);
  }

  sendListen(address) {
    this.ws.send(JSON.stringify({ COMMAND: 'LISTEN', DATA: address }));
  }

  reset() {
    this.handlers.clear();
    this.follow.clear();
  }
}

async function loadTree() {
  const r = await fetch('/', { cache: 'no-store' });
  if (!r.ok) throw new Error('GET / answered ' + r.status);
  return r.json();
}

async function main() {
  const link = new Link();
  const root = document.getElementById('console');
  let rebuild = null;
  const state = { link, ready: false, builds: 0 };
  window.latentkit = state;

  const build = async () => {
    const tree = await loadTree();
    link.reset();
    link.on('/started', args => {
      const t0 = link.sentIds.get(args[0]);
      if (t0 !== undefined) {
        link.sentIds.delete(args[0]);
        link.latenciesMs.push(performance.now() - t0);
      }
    });
    const panels = buildPanels(tree, link, root);
    state.panels = panels;
    state.tree = tree;
    state.builds++;
    if (link.open) link.onOpen();
    state.ready = true;
    document.body.dataset.ready = 'true';
  };
  link.onOpen = () => {
    link.send('/notify', 'i', [1]);
    link.send('/status');
    state.panels?.onOnline?.();
  };
  // A changed tree (PATH_ADDED / PATH_REMOVED): build again, a moment later to coalesce a burst.
  link.onTree = () => {
    clearTimeout(rebuild);
    rebuild = setTimeout(build, 200);
  };
  await build();
  link.connect();
  setInterval(() => link.send('/notify', 'i', [1]), NOTIFY_EVERY_MS);
  setInterval(() => link.send('/status'), STATUS_EVERY_MS);
}

main().catch(e => {
  document.getElementById('console').textContent = 'The console could not start: ' + e.message;
});
