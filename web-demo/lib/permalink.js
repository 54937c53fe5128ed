// Permalinks: the whole scenario (options + steps) in the URL's hash.
//
//   #s=<base64url(deflate-raw(JSON))>   when CompressionStream is available (all current browsers)
//   #j=<base64url(JSON)>                otherwise
//
// Both are read back; the hash never reaches a server.

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the link is damaged: it is not base64url text");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** The hash (without `#`) that encodes `scenario`. */
export async function encodeScenario(scenario) {
  const json = new TextEncoder().encode(JSON.stringify(scenario));
  if (typeof CompressionStream === "function") {
    try {
      return `s=${toBase64Url(await pipe(json, new CompressionStream("deflate-raw")))}`;
    } catch {
      // fall through to the uncompressed form
    }
  }
  return `j=${toBase64Url(json)}`;
}

/** The scenario in a hash (with or without `#`), or null if the hash holds none. Throws if damaged. */
export async function decodeScenario(hash) {
  const h = String(hash ?? "").replace(/^#/, "");
  const params = new URLSearchParams(h);
  let json;
  if (params.has("s")) {
    if (typeof DecompressionStream !== "function") throw new Error("this browser cannot read compressed links");
    try {
      json = await pipe(fromBase64Url(params.get("s")), new DecompressionStream("deflate-raw"));
    } catch (e) {
      throw new Error(`the link is damaged: ${e.message}`);
    }
  } else if (params.has("j")) {
    json = fromBase64Url(params.get("j"));
  } else {
    return null;
  }
  let value;
  try {
    value = JSON.parse(new TextDecoder().decode(json));
  } catch (e) {
    throw new Error(`the link is damaged: ${e.message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("the link does not hold a scenario");
  return value;
}
