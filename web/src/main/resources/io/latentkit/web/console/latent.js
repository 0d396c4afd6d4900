// The latent pad panel, built from the tree under /latent (or wherever a pad-indexed XY command
// lives). What it looks for, by shape, never by a list of addresses:
// - the XY command: a pad-indexed node whose next two arguments are 0..1 floats (/latent/xy ,iff[i]);
//   a trailing int is the reply id, which the console fills so that /latent/ready comes back to it;
// - the anchor command: a pad-indexed node taking a corner 0..3 and a string (/latent/anchor ,iis);
// - each pad's state: the children of <container>/<pad index>: two 0..1 floats (x, y: the position
//   the server publishes, followed with LISTEN so every console shows the same), a read-only 0/1
//   int (whether the pad is latent) and a read-only four-string value (its corners' sounds);
// - every other pad-indexed command gets fields (a button when it takes nothing but the pad).

import { el, XYPad } from './widgets.js';

const PAD_COUNT_MAX = 11;

const kids = n => (n && n.CONTENTS ? Object.values(n.CONTENTS) : []);
const leaf = p => p.slice(p.lastIndexOf('/') + 1);
const range = (n, i) => (n.RANGE && n.RANGE[i]) || {};
const unit = (n, i) => range(n, i).MIN === 0 && range(n, i).MAX === 1;
const readable = n => typeof n.ACCESS === 'number' && (n.ACCESS & 1) === 1;
const writable = n => typeof n.ACCESS === 'number' && (n.ACCESS & 2) === 2;
const padIndexed = n => n.TYPE && n.TYPE[0] === 'i' && range(n, 0).MIN === 0 && range(n, 0).MAX === PAD_COUNT_MAX;

function all(node, out = []) {
  out.push(node);
  for (const k of kids(node)) all(k, out);
  return out;
}

/** The addresses of the per-pad state nodes under container/<i>: { xAt, yAt, activeAt, anchorsAt }. */
function stateOf(container, i) {
  const dir = container.CONTENTS && container.CONTENTS[String(i)];
  const s = {};
  for (const n of kids(dir)) {
    if (n.TYPE === 'f' && unit(n, 0) && !s.xAt) s.xAt = n.FULL_PATH;
    else if (n.TYPE === 'f' && unit(n, 0)) s.yAt = n.FULL_PATH;
    else if (n.TYPE === 'i' && readable(n) && !writable(n) && unit(n, 0)) s.activeAt = n.FULL_PATH;
    else if (n.TYPE === 'ssss' && readable(n)) s.anchorsAt = n.FULL_PATH;
  }
  return s;
}

/**
 * The latent panel, or null when the container holds no XY command.
 * ctx: { link, claim(node), padNames, selected(), onSelect(fn), commandField(opts) }.
 */
export function latentPanel(container, ctx) {
  const { link, padNames } = ctx;
  const nodes = all(container);
  const xyNode = nodes.find(n => padIndexed(n) && writable(n) && n.TYPE.slice(1, 3) === 'ff' && unit(n, 1) && unit(n, 2));
  if (!xyNode) return null;
  nodes.forEach(ctx.claim);
  const anchorNode = nodes.find(n => padIndexed(n) && writable(n) && n.TYPE.slice(1) === 'is'
    && range(n, 1).MIN === 0 && range(n, 1).MAX === 3);
  const withId = xyNode.TYPE.length > 3 && xyNode.TYPE[3] === 'i';
  const pads = padNames.map((_, i) => ({ x: 0, y: 0, active: 0, anchors: ['', '', '', ''], ...stateOf(container, i) }));
  const cur = () => ctx.selected();

  // ---- the XY surface ----
  const xy = new XYPad({ address: xyNode.FULL_PATH, onChange: (x, y) => move(cur(), x, y) });
  const sent = new Map(); // reply id -> time sent, for /latent/ready
  const latency = { ms: [] };
  let readyFrame = -1;
  let nextId = 1;
  function move(i, x, y) {
    if (withId) {
      const id = nextId++;
      sent.set(id, performance.now());
      if (sent.size > 4096) sent.delete(sent.keys().next().value);
      link.send(xyNode.FULL_PATH, 'iffi', [i, x, y, id]);
    } else {
      link.send(xyNode.FULL_PATH, 'iff', [i, x, y]);
    }
  }
  // The replies the server sends beside the XY command (outputs are not in the tree): /latent/ready
  // and /latent/pos for /latent/xy.
  const sibling = name => xyNode.FULL_PATH.replace(/\/[^/]+$/, '/' + name);
  link.on(sibling('ready'), a => {
    const t0 = sent.get(a[1]);
    if (t0 !== undefined) {
      sent.delete(a[1]);
      latency.ms.push(performance.now() - t0);
      if (latency.ms.length > 10_000) latency.ms.shift();
    }
    readyFrame = a[2];
  });

  // ---- what each pad is: position, latent or not, its corners (the server's values) ----
  const badge = el('span', { class: 'latent-state', id: 'latent-state' });
  const makeLatent = el('button', { class: 'action', id: 'latent-make', text: 'make latent',
    title: xyNode.FULL_PATH + ' (the pad becomes latent at the encoding of its own sound)',
    onclick: () => move(cur(), xy.x, xy.y) });
  const show = i => {
    if (i !== cur()) return;
    const p = pads[i];
    xy.update(p.x, p.y);
    p.anchors.forEach((s, k) => xy.corner(k, s || (p.active ? '' : 'corner ' + k)));
    badge.textContent = p.active ? 'latent' : 'plays its sample';
    xy.root.classList.toggle('inactive', !p.active);
    xy.root.dataset.pad = String(i);
    xy.root.dataset.active = String(p.active);
    makeLatent.hidden = !!p.active;
  };
  pads.forEach((p, i) => {
    const follow = (address, fn) => {
      if (!address) return;
      link.on(address, a => { fn(a); show(i); });
      link.listen(address);
    };
    follow(p.xAt, a => { p.x = a[0]; });
    follow(p.yAt, a => { p.y = a[0]; });
    follow(p.activeAt, a => { p.active = a[0]; });
    follow(p.anchorsAt, a => { p.anchors = a.map(String); });
  });
  // A position the server sends this console in reply (/latent/pos ,iff pad x y).
  link.on(sibling('pos'), a => {
    const p = pads[a[0]];
    if (p) { p.x = a[1]; p.y = a[2]; show(a[0]); }
  });

  // ---- the four corners ----
  const body = el('div', { class: 'row wrap' });
  if (anchorNode) {
    const choices = el('datalist', { id: 'latent-sounds' },
      el('option', { value: 'random' }), ...padNames.map(n => el('option', { value: 'pad:' + n })));
    const group = el('div', { class: 'anchors', 'data-address': anchorNode.FULL_PATH }, choices);
    const where = ['x 0 y 0', 'x 1 y 0', 'x 0 y 1', 'x 1 y 1'];
    for (let k = 0; k <= 3; k++) {
      const input = el('input', { type: 'text', list: 'latent-sounds', placeholder: 'sound, pad:NAME or random',
        'data-corner': String(k) });
      const set = el('button', { class: 'send', text: 'set', onclick: () => {
        if (input.value) link.send(anchorNode.FULL_PATH, 'iis', [cur(), k, input.value]);
      } });
      group.append(el('div', { class: 'command', 'data-corner': String(k) },
        el('span', { class: 'label', text: 'corner ' + k + ' (' + where[k] + ')' }), input, set));
    }
    body.append(group);
  }

  // ---- the other pad-indexed commands (morph, z, generate, revert, commit, ...) ----
  for (const n of nodes) {
    if (n === xyNode || n === anchorNode || !n.TYPE || !padIndexed(n) || !writable(n)) continue;
    const a = n.FULL_PATH;
    const rest = n.TYPE.slice(1);
    if (rest === '') {
      body.append(el('button', { class: 'action', 'data-address': a, title: n.DESCRIPTION, text: leaf(a),
        onclick: () => link.send(a, 'i', [cur()]) }));
    } else {
      body.append(ctx.commandField({ label: leaf(a), address: a, types: rest, ranges: n.RANGE?.slice(1),
        onSend: args => link.send(a, 'i' + rest.slice(0, args.length), [cur(), ...args]) }));
    }
  }

  const padLabel = el('span', { class: 'which' });
  ctx.onSelect(i => { padLabel.textContent = padNames[i] ?? String(i); show(i); });
  const root = el('section', { id: 'latent', class: 'panel' },
    el('h2', {}, document.createTextNode('Latent pad: '), padLabel, document.createTextNode(' · '), badge),
    el('div', { class: 'row wrap' }, el('div', { class: 'xywrap' }, el('div', { class: 'label', text: leaf(xyNode.FULL_PATH) }),
      xy.root), makeLatent), body);
  return {
    root, latency, state: pads,
    /** Moves pad i to (x, y) as a drag does (with a reply id where the node takes one). */
    move,
    /** Moves sent that have no /latent/ready yet. */
    pending: () => sent.size,
    /** The engine frame of the latest /latent/ready this console received. */
    readyFrame: () => readyFrame,
  };
}
