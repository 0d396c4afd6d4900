// Builds the console's panels from the OSCQuery tree. Nothing here names a control that the tree
// does not hold: pads are the children of /hit, their knobs the children of /pad/<name>, and the
// latent, sequencer and listen panels appear when /latent, /pattern and /listen exist, their
// controls chosen by the shape of each node (types and ranges), as OSCQuery's UI conventions suggest:
// a pad-indexed pair of 0..1 floats is a latent XY pad (latent.js), a (row, column, value) triple is a grid, a
// one-number node a knob, a 0/1 integer a switch, a node without arguments a button.

import { el, Knob, Toggle, XYPad, DrumPad, Meter, CommandField } from './widgets.js';
import { latentPanel } from './latent.js';

const INTEGER_PARAMS = new Set(['choke']);
const SWITCH_PARAMS = new Set(['mute']);

function kids(node) {
  return node && node.CONTENTS ? Object.values(node.CONTENTS) : [];
}

function at(tree, path) {
  let n = tree;
  for (const part of path.split('/').filter(Boolean)) {
    n = n && n.CONTENTS ? n.CONTENTS[part] : undefined;
  }
  return n;
}

function leaf(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

function range(node, i) {
  const r = node.RANGE && node.RANGE[i];
  return r || {};
}

const readable = n => typeof n.ACCESS === 'number' && (n.ACCESS & 1) === 1;
const writable = n => typeof n.ACCESS === 'number' && (n.ACCESS & 2) === 2;
const bounded = (n, i) => typeof range(n, i).MIN === 'number' && typeof range(n, i).MAX === 'number';

function all(node, out = []) {
  if (node.TYPE !== undefined || (node.ACCESS && node.FULL_PATH !== '/')) out.push(node);
  for (const k of kids(node)) all(k, out);
  return out;
}

function section(id, title, ...children) {
  return el('section', { id, class: 'panel' }, el('h2', { text: title }), ...children);
}

/** A generic control for one node (used where no panel has a better one). */
function control(n, link, values, label) {
  const a = n.FULL_PATH;
  const name = label || leaf(a);
  const t = n.TYPE || '';
  if (t === '') {
    return el('button', { class: 'action', 'data-address': a, title: n.DESCRIPTION, text: name, onclick: () => link.send(a) });
  }
  if ((t === 'f' || t === 'i') && bounded(n, 0)) {
    const r = range(n, 0);
    if ((t === 'i' && r.MIN === 0 && r.MAX === 1) || SWITCH_PARAMS.has(name)) {
      const s = new Toggle({ label: name, address: a, value: n.VALUE?.[0], onChange: v => link.send(a, t, [v]) });
      values.set(a, args => s.update(args[0]));
      return s.root;
    }
    const k = new Knob({ label: name, address: a, min: r.MIN, max: r.MAX, value: n.VALUE?.[0],
      defaultValue: n.DEFAULT?.[0] ?? n.VALUE?.[0], integer: t === 'i' || INTEGER_PARAMS.has(name),
      unit: n.UNIT?.[0], onChange: v => link.send(a, t, [v]) });
    values.set(a, args => k.update(args[0]));
    return k.root;
  }
  if (t === 'ff' && bounded(n, 0) && bounded(n, 1)) {
    const xy = new XYPad({ address: a, onChange: (x, y) => link.send(a, 'ff', [x, y]) });
    values.set(a, args => xy.update(args[0], args[1]));
    return el('div', { class: 'xywrap' }, el('div', { class: 'label', text: name }), xy.root);
  }
  return new CommandField({ label: name, address: a, types: t, ranges: n.RANGE,
    onSend: args => link.send(a, t.slice(0, args.length), args) }).root;
}

export function buildPanels(tree, link, root) {
  root.replaceChildren();
  const claimed = new Set();
  const values = new Map(); // address -> update(args) for values that LISTEN brings
  const padNodes = kids(at(tree, '/hit'));
  const padNames = padNodes.map(n => leaf(n.FULL_PATH));
  let selected = Math.max(0, padNames.indexOf('snare'));
  const onSelect = [];
  const claim = n => claimed.add(n.FULL_PATH);
  const onlineHooks = [];

  // ---- health and meters ----
  const health = el('div', { id: 'health', class: 'health', text: 'connecting…' });
  const meterL = new Meter('L');
  const meterR = new Meter('R');
  const voices = el('div', { class: 'voices', id: 'voices', text: '0' });
  link.on('/status.reply', a => {
    const drops = a[6] ?? 0;
    health.textContent = `CPU ${a[1].toFixed(1)}% (peak ${a[2].toFixed(1)}%) · misses ${a[4]} · late ${a[5]} · drops ${drops}`;
    health.dataset.cpu = String(a[1]);
    health.classList.toggle('warn', a[4] > 0 || drops > 0);
  });
  link.on('/meter/l', a => meterL.set(a[0]));
  link.on('/meter/r', a => meterR.set(a[0]));
  link.on('/voices', a => { voices.textContent = String(Math.round(a[0])); });
  root.append(el('header', { class: 'top' }, el('h1', { text: 'latentkit' }),
    el('span', { class: 'link', title: 'connection' }), health,
    el('div', { class: 'meters' }, meterL.root, meterR.root, el('div', { class: 'voicebox' }, voices, el('small', { text: 'voices' })))));

  // ---- transport: tempo and the sequencer's commands ----
  const transport = el('div', { class: 'row' });
  for (const n of kids(tree)) {
    if (n.TYPE === 'f' && !n.CONTENTS && writable(n)) {
      transport.append(control(n, link, values));
      claim(n);
    }
  }
  const pattern = at(tree, '/pattern');
  for (const n of kids(pattern)) {
    if (!n.TYPE && writable(n)) {
      transport.append(control(n, link, values));
      claim(n);
    }
  }
  root.append(section('transport', 'Transport', transport));

  // ---- pads ----
  const pads = padNames.map((name, i) => new DrumPad({
    name, index: i,
    onHit: v => link.hit('/hit/' + name, v),
    onSelect: () => select(i),
  }));
  const flash = i => { if (pads[i]) pads[i].flash(); };
  padNames.forEach((name, i) => link.on('/hit/' + name, () => flash(i)));
  link.on('/hit', a => flash(a[0]));
  link.on('/started', a => flash(a[1]));
  padNodes.forEach(claim);
  const hitNode = at(tree, '/hit');
  if (hitNode) claim(hitNode);
  root.append(section('pads', 'Pads', el('div', { class: 'pads' }, ...pads.map(p => p.root))));

  // ---- per-pad knobs ----
  const padPanels = padNames.map(name => {
    const node = at(tree, '/pad/' + name);
    const row = el('div', { class: 'row knobs', 'data-pad': name });
    for (const n of kids(node)) row.append(control(n, link, values));
    return row;
  });
  for (const n of all(at(tree, '/pad') || {})) claim(n);
  const padTitle = el('h2');
  if (padNames.length) {
    root.append(el('section', { id: 'pad', class: 'panel' }, padTitle, ...padPanels));
  }

  // ---- latent pads: the XY pad, corners and commands of the selected pad (latent.js) ----
  const latentNode = at(tree, '/latent');
  const latent = latentNode && latentPanel(latentNode, {
    link, padNames, claim, selected: () => selected, onSelect: fn => onSelect.push(fn),
    commandField: opts => new CommandField(opts).root,
  });
  if (latent) root.append(latent.root);

  // ---- sequencer ----
  if (pattern) root.append(sequencerPanel(pattern));

  // ---- listen mode ----
  const listen = at(tree, '/listen');
  if (listen) root.append(listenPanel(listen));

  // ---- kits and presets ----
  root.append(libraryPanel());

  // ---- everything else the tree holds ----
  const more = el('div', { class: 'row wrap' });
  for (const n of all(tree)) {
    if (claimed.has(n.FULL_PATH) || !writable(n) || n.FULL_PATH === '/') continue;
    more.append(control(n, link, values, n.FULL_PATH));
  }
  root.append(el('details', { class: 'panel', id: 'more' }, el('summary', { text: 'More controls' }), more));

  // ---- follow every readable value ----
  for (const n of all(tree)) {
    if (readable(n) && n.TYPE) {
      link.listen(n.FULL_PATH);
      const update = values.get(n.FULL_PATH);
      if (update) link.on(n.FULL_PATH, update);
    }
  }
  for (const name of padNames) link.listen('/hit/' + name);
  if (hitNode) link.listen('/hit');

  function select(i) {
    if (i === selected && padTitle.textContent) return; // the same pad again: nothing to redraw
    selected = i;
    pads.forEach((p, j) => p.select(j === i));
    padPanels.forEach((p, j) => { p.hidden = j !== i; });
    padTitle.textContent = 'Pad: ' + (padNames[i] ?? i);
    for (const fn of onSelect) fn(i);
  }

  function sequencerPanel(container) {
    const body = el('div', { class: 'row wrap' });
    let grid = null;
    for (const n of all(container)) {
      if (claimed.has(n.FULL_PATH)) continue;
      claim(n);
      const t = n.TYPE;
      if (!grid && t === 'iif' && bounded(n, 0) && writable(n)) {
        grid = gridOf(n);
        continue;
      }
      if (writable(n)) body.append(control(n, link, values));
    }
    const stepAddress = container.FULL_PATH + '/step';
    link.on(stepAddress, a => grid && grid.step(a[a.length - 1]));
    return section('sequencer', 'Sequencer', ...(grid ? [grid.root] : []), body);
  }

  function gridOf(n) {
    const a = n.FULL_PATH;
    const rows = range(n, 0);
    const cols = range(n, 1);
    const c0 = typeof cols.MIN === 'number' ? cols.MIN : 0;
    const c1 = typeof cols.MAX === 'number' ? cols.MAX : 15;
    const cells = new Map();
    const table = el('div', { class: 'grid', 'data-address': a });
    table.style.setProperty('--cols', String(c1 - c0 + 1));
    for (let r = rows.MIN; r <= rows.MAX; r++) {
      table.append(el('div', { class: 'rowname', text: padNames[r] ?? String(r) }));
      for (let c = c0; c <= c1; c++) {
        const cell = el('button', { class: 'cell', 'data-row': String(r), 'data-col': String(c) });
        cell.addEventListener('click', () => {
          const v = cell.classList.contains('on') ? 0 : 0.8;
          set(r, c, v);
          link.send(a, 'iif', [r, c, v]);
        });
        cells.set(r + ':' + c, cell);
        table.append(cell);
      }
    }
    function set(r, c, v) {
      const cell = cells.get(r + ':' + c);
      if (cell) { cell.classList.toggle('on', v > 0); cell.style.setProperty('--v', String(v)); }
    }
    link.on(a, args => set(args[0], args[1], args[2]));
    link.listen(a);
    let lit = null;
    return {
      root: table,
      step(col) {
        if (lit) lit.forEach(x => x.classList.remove('now'));
        lit = [...table.querySelectorAll(`.cell[data-col="${col}"]`)];
        lit.forEach(x => x.classList.add('now'));
      },
    };
  }

  function listenPanel(container) {
    const body = el('div', { class: 'row wrap' });
    for (const n of all(container)) {
      if (claimed.has(n.FULL_PATH)) continue;
      claim(n);
      if (writable(n)) body.append(control(n, link, values, n.FULL_PATH === container.FULL_PATH ? 'listen' : undefined));
    }
    const hits = el('ol', { class: 'hits', id: 'listen-hits' });
    link.on(container.FULL_PATH + '/hit', a => {
      const conf = typeof a[1] === 'number' ? ` ${(a[1] * 100).toFixed(0)}%` : '';
      hits.prepend(el('li', { text: `${a[0]}${conf}` }));
      while (hits.children.length > 8) hits.lastChild.remove();
      if (typeof a[2] === 'number') flash(a[2]);
    });
    return section('listen', 'Listen', body, el('h3', { text: 'Last hits' }), hits);
  }

  function libraryPanel() {
    const row = el('div', { class: 'row wrap' });
    const picker = (what, listAddr, loadAddr, saveAddr) => {
      if (!at(tree, listAddr) && !at(tree, loadAddr)) return;
      [listAddr, loadAddr, saveAddr].filter(Boolean).forEach(p => { const n = at(tree, p); if (n) claim(n); });
      const select = el('select', { id: what + '-select', 'data-address': loadAddr });
      link.on(listAddr + '.reply', names => {
        const keep = select.value;
        select.replaceChildren(...names.map(s => el('option', { value: s, text: s })));
        if (names.includes(keep)) select.value = keep;
      });
      const load = el('button', { text: 'load ' + what, id: what + '-load', onclick: () => select.value && link.send(loadAddr, 's', [select.value]) });
      row.append(el('div', { class: 'command' }, el('span', { class: 'label', text: what }), select, load));
      if (saveAddr && at(tree, saveAddr)) {
        const name = el('input', { type: 'text', placeholder: what + ' name', id: what + '-name' });
        row.append(el('div', { class: 'command' }, name,
          el('button', { text: 'save ' + what, id: what + '-save', onclick: () => name.value && link.send(saveAddr, 's', [name.value]) })));
      }
      refresh.push(() => at(tree, listAddr) && link.send(listAddr));
    };
    const refresh = [];
    const status = el('div', { class: 'reply', id: 'library-reply' });
    link.on('/done', a => {
      if (a[0] === '/notify') return; // the console's own telemetry lease
      status.textContent = 'done: ' + a.join(' ');
      status.classList.remove('fail');
      refresh.forEach(f => f());
    });
    link.on('/fail', a => {
      if (a[0] === '/kit/list' || a[0] === '/preset/list') return; // a list this server cannot give: no picker content
      status.textContent = 'failed: ' + a.join(' ');
      status.classList.add('fail');
    });
    picker('kit', '/kit/list', '/kit/load');
    picker('preset', '/preset/list', '/preset/load', '/preset/save');
    onlineHooks.push(() => refresh.forEach(f => f()));
    return section('library', 'Kits and presets', row, status);
  }

  select(selected);
  return { onOnline() { onlineHooks.forEach(f => f()); }, selected: () => selected, latent };
}
