// In-browser check of an RFC 9162 inclusion proof (SubtleCrypto SHA-256), so a visitor need not trust
// the server's word: the leaf bytes, the audit path and the signed root are checked right here.
(function () {
  "use strict";
  const hex = (buf) => Array.from(new Uint8Array(buf)).map((b) => b.toString(16).padStart(2, "0")).join("");
  const unhex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let i = 0;
    for (const p of parts) { out.set(p, i); i += p.length; }
    return out;
  };
  const leafHash = (leaf) => sha256(concat(new Uint8Array([0]), leaf));
  const nodeHash = (l, r) => sha256(concat(new Uint8Array([1]), l, r));

  // RFC 9162 §2.1.3.2
  async function verifyInclusion(leafBytes, index, size, proof, rootHex) {
    if (index >= size) return false;
    let fn = BigInt(index), sn = BigInt(size) - 1n;
    let r = await leafHash(leafBytes);
    for (const p of proof) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n; sn >>= 1n;
    }
    return sn === 0n && hex(r) === rootHex;
  }

  async function run(el) {
    const data = JSON.parse(el.dataset.proof);
    const out = el.querySelector("[data-role=browser-check]");
    try {
      const ok = await verifyInclusion(unhex(data.leaf_hex), data.leaf_index, data.tree_size,
        data.inclusion_proof.map(unhex), data.root);
      out.textContent = ok
        ? "浏览器已独立验证：叶子经 " + data.inclusion_proof.length + " 步审计路径可推出签名检查点中的根哈希 ✓"
        : "浏览器验证失败：审计路径推不出根哈希 ✗";
      out.dataset.result = ok ? "ok" : "fail";
    } catch (e) {
      out.textContent = "浏览器无法验证（" + e + "）";
      out.dataset.result = "error";
    }
  }

  window.zhibaoVerifyInclusion = verifyInclusion;
  const start = () => document.querySelectorAll("[data-proof]").forEach(run);
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start);
})();
