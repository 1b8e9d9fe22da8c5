/**
 * Text from the identity provider made safe to show: control characters and
 * bidirectional overrides (which can make `evil.com@x` read as `x@moc.live`)
 * become visible `\u{…}` escapes.
 */

/**
 * C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and
 * isolates (the same set as tokentoss/_display.py).
 */
const UNSAFE =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';

/** `text` with every unsafe character replaced by a visible escape. */
export function displayText(text: string): string {
  return text.replace(
    new RegExp(UNSAFE, 'gu'),
    char => `\\u{${char.codePointAt(0)!.toString(16)}}`
  );
}

/** True if `text` holds a character that `displayText` would escape. */
export function hasUnsafeText(text: string): boolean {
  return new RegExp(UNSAFE, 'u').test(text);
}
