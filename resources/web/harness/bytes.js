// Base64 text -> bytes, and little-endian float32 views of them. Jobs carry
// weights and data as base64 of float32 LE values (what the C++ side writes);
// every browser this harness targets is little-endian, which is checked once.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

  // Returns a fresh ArrayBuffer (so Float32Array views of it are aligned).
  function base64ToArrayBuffer(text, what) {
    if (typeof text !== 'string') throw new Error(`${what} must be a base64 string, got ${typeof text}`);
    let binary;
    try {
      binary = atob(text);
    } catch (e) {
      throw new Error(`${what} is not valid base64: ${e.message}`);
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function float32sFromBase64(text, what) {
    if (!littleEndian) throw new Error('this harness needs a little-endian machine (float32 LE data)');
    const buffer = base64ToArrayBuffer(text, what);
    if (buffer.byteLength % 4 !== 0)
      throw new Error(`${what} holds ${buffer.byteLength} bytes, not a whole number of float32 values`);
    return new Float32Array(buffer);
  }

  // Base64 of float32 LE values (tests and tools build jobs with it).
  function float32sToBase64(values) {
    const bytes = new Uint8Array(Float32Array.from(values).buffer);
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk)
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    return btoa(binary);
  }

  parts.bytes = {base64ToArrayBuffer, float32sFromBase64, float32sToBase64};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.bytes;
})(typeof window !== 'undefined' ? window : globalThis);
