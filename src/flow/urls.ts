/** Where tokens may travel: https anywhere, plain http only to this machine. */
import { SignInError } from './errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) ||
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    // RFC 6761: browsers resolve *.localhost to loopback themselves; Python's rule does not (the OS resolver may not).
    hostname.endsWith('.localhost')
  );
}

/** True when plain http is tolerated for this URL (a local test provider). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** Parses a URL that tokens will travel to, refusing plain http off loopback. */
export function parseSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SignInError(
      'invalid_url',
      `${what} is not a valid URL.`,
      `${what}: ${value}`
    );
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
    throw new SignInError(
      'insecure_issuer',
      `${what} must use https (http only on loopback).`,
      `${what}: ${value}`
    );
  }
  return url;
}
