// OSC 1.0 messages as the console sends and receives them over the WebSocket (binary frames):
// int32 'i', float32 'f', int64 'h', string 's', and the argument-less 'T', 'F', 'N'.

const enc = new TextEncoder();
const dec = new TextDecoder();

function padded(bytes) {
  const n = (bytes.length + 4) & ~3; // at least one NUL, then to a multiple of four
  const out = new Uint8Array(n);
  out.set(bytes);
  return out;
}

/** One OSC message as an ArrayBuffer. */
export function encode(address, types, args) {
  const parts = [padded(enc.encode(address)), padded(enc.encode(',' + types))];
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    const v = args[i];
    if (t === 'i' || t === 'f') {
      const b = new Uint8Array(4);
      const d = new DataView(b.buffer);
      if (t === 'i') d.setInt32(0, v | 0); else d.setFloat32(0, v);
      parts.push(b);
    } else if (t === 'h') {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(v));
      parts.push(b);
    } else if (t === 's') {
      parts.push(padded(enc.encode(String(v))));
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

function readString(view, bytes, at) {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  const s = dec.decode(bytes.subarray(at, end));
  return [s, (end + 4) & ~3];
}

/** Decodes one packet; calls onMessage(address, types, args) for each message (bundles unpacked). */
export function decode(buffer, onMessage) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  decodeAt(view, bytes, 0, bytes.length, onMessage);
}

function decodeAt(view, bytes, start, end, onMessage) {
  const sub = bytes.subarray(start, end);
  if (sub.length >= 8 && dec.decode(sub.subarray(0, 7)) === '#bundle') {
    let at = start + 16;
    while (at + 4 <= end) {
      const size = view.getInt32(at);
      at += 4;
      decodeAt(view, bytes, at, at + size, onMessage);
      at += size;
    }
    return;
  }
  let [address, at] = readString(view, bytes, start);
  if (at >= end) {
    onMessage(address, '', []);
    return;
  }
  let tags;
  [tags, at] = readString(view, bytes, at);
  const types = tags.startsWith(',') ? tags.slice(1) : '';
  const args = [];
  for (const t of types) {
    if (t === 'i') { args.push(view.getInt32(at)); at += 4; }
    else if (t === 'f') { args.push(view.getFloat32(at)); at += 4; }
    else if (t === 'h') { args.push(Number(view.getBigInt64(at))); at += 8; }
    else if (t === 'd') { args.push(view.getFloat64(at)); at += 8; }
    else if (t === 's' || t === 'S') { let s; [s, at] = readString(view, bytes, at); args.push(s); }
    else if (t === 'T') args.push(true);
    else if (t === 'F') args.push(false);
    else if (t === 'N') args.push(null);
    else if (t === 'b') { const n = view.getInt32(at); at += 4 + ((n + 3) & ~3); args.push(null); }
    else break;
  }
  onMessage(address, types, args);
}
