// The console's controls: knobs, XY pads, drum pads, toggles, meters, command fields. Each control
// works with a mouse, a pen and touch (pointer events; touch-action none, so dragging a control
// never scrolls or zooms the page) and carries data-address for the node it drives.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Double-click with a mouse, double-tap on touch. */
function onDouble(e, handler) {
  let last = 0;
  e.addEventListener('dblclick', handler);
  e.addEventListener('pointerdown', ev => {
    if (ev.pointerType === 'mouse') return;
    const now = performance.now();
    if (now - last < 300) handler(ev);
    last = now;
  });
}

/**
 * A knob over [min, max]: drag up or right to raise it (shift for fine steps), double-click to
 * reset it to its default. onChange(value) is called while dragging.
 */
export class Knob {
  constructor({ label, address, min, max, value, defaultValue, integer, unit, onChange }) {
    this.min = min;
    this.max = max;
    this.integer = integer;
    this.defaultValue = defaultValue;
    this.onChange = onChange;
    this.dragging = false;
    this.dial = el('div', { class: 'dial' }, el('div', { class: 'needle' }));
    this.readout = el('div', { class: 'readout' });
    this.root = el('div', { class: 'knob', 'data-address': address, title: address },
      this.dial, el('div', { class: 'label', text: label }), this.readout);
    this.unit = unit || '';
    this.set(value ?? defaultValue ?? min);
    let startY = 0, startX = 0, startV = 0;
    this.dial.addEventListener('pointerdown', ev => {
      ev.preventDefault();
      this.dial.setPointerCapture(ev.pointerId);
      this.dragging = true;
      startY = ev.clientY; startX = ev.clientX; startV = this.value;
    });
    this.dial.addEventListener('pointermove', ev => {
      if (!this.dragging) return;
      const span = this.max - this.min;
      const px = (startY - ev.clientY) + (ev.clientX - startX);
      this.change(startV + px / (ev.shiftKey ? 800 : 160) * span);
    });
    const end = () => { this.dragging = false; };
    this.dial.addEventListener('pointerup', end);
    this.dial.addEventListener('pointercancel', end);
    onDouble(this.dial, () => {
      if (this.defaultValue !== undefined && this.defaultValue !== null) this.change(this.defaultValue);
    });
  }

  change(v) {
    let c = Math.min(this.max, Math.max(this.min, v));
    if (this.integer) c = Math.round(c);
    if (c === this.value) return;
    this.set(c);
    this.onChange(c);
  }

  /** Shows a value that came from the server (ignored while the performer drags this knob). */
  update(v) {
    if (!this.dragging) this.set(v);
  }

  set(v) {
    this.value = v;
    const t = (v - this.min) / ((this.max - this.min) || 1);
    this.dial.style.setProperty('--turn', (-135 + 270 * t) + 'deg');
    this.readout.textContent = fmt(v) + (this.unit ? ' ' + this.unit : '');
    this.root.dataset.value = String(v);
  }
}

/** A switch for a 0/1 value. */
export class Toggle {
  constructor({ label, address, value, onChange }) {
    this.onChange = onChange;
    this.root = el('button', { class: 'toggle', 'data-address': address, title: address, text: label });
    this.root.addEventListener('click', () => { this.set(this.on ? 0 : 1); this.onChange(this.on ? 1 : 0); });
    this.set(value || 0);
  }

  update(v) { this.set(v); }

  set(v) {
    this.on = !!v;
    this.root.classList.toggle('on', this.on);
    this.root.dataset.value = this.on ? '1' : '0';
  }
}

/**
 * A square XY pad, x and y in [0, 1] (y grows upwards), with a label at each corner.
 * onChange(x, y) is called while dragging.
 */
export class XYPad {
  constructor({ address, corners, onChange }) {
    this.onChange = onChange;
    this.dot = el('div', { class: 'dot' });
    this.corners = [0, 1, 2, 3].map(i => el('div', { class: 'corner c' + i, text: corners?.[i] ?? ('corner ' + i) }));
    this.root = el('div', { class: 'xy', 'data-address': address, title: address }, ...this.corners, this.dot);
    this.dragging = false;
    const at = ev => {
      const r = this.root.getBoundingClientRect();
      const x = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
      const y = Math.min(1, Math.max(0, 1 - (ev.clientY - r.top) / r.height));
      this.set(x, y);
      this.onChange(x, y);
    };
    this.root.addEventListener('pointerdown', ev => {
      ev.preventDefault();
      this.root.setPointerCapture(ev.pointerId);
      this.dragging = true;
      at(ev);
    });
    this.root.addEventListener('pointermove', ev => { if (this.dragging) at(ev); });
    const end = () => { this.dragging = false; };
    this.root.addEventListener('pointerup', end);
    this.root.addEventListener('pointercancel', end);
    this.set(0.5, 0.5);
  }

  corner(i, text) { this.corners[i].textContent = text; }

  update(x, y) { if (!this.dragging) this.set(x, y); }

  set(x, y) {
    this.x = x; this.y = y;
    this.dot.style.left = (x * 100) + '%';
    this.dot.style.top = ((1 - y) * 100) + '%';
    this.root.dataset.x = String(x);
    this.root.dataset.y = String(y);
  }
}

/** A drum pad: velocity from where it is hit (the top edge is the loudest). */
export class DrumPad {
  constructor({ name, index, onHit, onSelect }) {
    this.root = el('button', { class: 'pad', 'data-pad': name, 'data-index': String(index), title: '/hit/' + name },
      el('span', { text: name }));
    this.root.addEventListener('pointerdown', ev => {
      ev.preventDefault();
      const r = this.root.getBoundingClientRect();
      const v = Math.min(1, Math.max(0.05, 1 - (ev.clientY - r.top) / r.height * 0.9));
      onHit(v);
      onSelect();
    });
  }

  flash() {
    this.root.classList.remove('lit');
    void this.root.offsetWidth; // restart the animation
    this.root.classList.add('lit');
  }

  select(on) { this.root.classList.toggle('selected', on); }
}

/** A vertical level meter for a 0..1 peak, drawn on a dB scale from -60 dB. */
export class Meter {
  constructor(label) {
    this.fill = el('div', { class: 'fill' });
    this.root = el('div', { class: 'meter', title: label }, this.fill, el('div', { class: 'label', text: label }));
    this.set(0);
  }

  set(peak) {
    const db = peak > 0 ? 20 * Math.log10(peak) : -60;
    const t = Math.min(1, Math.max(0, (db + 60) / 60));
    this.fill.style.height = (t * 100) + '%';
    this.fill.classList.toggle('hot', peak >= 0.99);
    this.root.dataset.value = String(peak);
  }
}

/** A command with typed arguments: one field per argument (a menu where the range lists values). */
export class CommandField {
  constructor({ label, address, types, ranges, onSend, button }) {
    this.fields = [];
    for (let i = 0; i < types.length; i++) {
      const vals = ranges?.[i]?.VALS;
      const f = vals ? el('select', {}, ...vals.map(v => el('option', { value: String(v), text: String(v) })))
        : el('input', { type: types[i] === 's' ? 'text' : 'number', placeholder: types[i], step: 'any' });
      this.fields.push(f);
    }
    const send = el('button', { class: 'send', text: button || label });
    // Trailing fields left empty are optional arguments not sent (a reply id, a default variance).
    send.addEventListener('click', () => {
      let n = this.fields.length;
      while (n > 0 && this.fields[n - 1].value === '') n--;
      onSend(this.fields.slice(0, n).map((f, i) => types[i] === 's' ? f.value : Number(f.value)));
    });
    this.root = el('div', { class: 'command', 'data-address': address, title: address },
      el('span', { class: 'label', text: label }), ...this.fields, send);
  }
}
