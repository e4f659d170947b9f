/**
 * IP addresses and CIDRs as Kubernetes' CEL library reads them (Go's net/netip, then no zones and no
 * IPv4-mapped IPv6 addresses): IPv4 in dotted decimal without leading zeros, IPv6 in RFC 4291 text form.
 */

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: number[];
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const groups = text.split(':');
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIPv4(group);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      out.push(Number.parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIPv6(text: string): number[] | undefined {
  const ellipsis = text.indexOf('::');
  let groups: number[] | undefined;
  if (ellipsis < 0) {
    groups = parseGroups(text);
    if (groups?.length !== 8) return undefined;
  } else {
    if (text.indexOf('::', ellipsis + 1) >= 0) return undefined;
    const head = parseGroups(text.slice(0, ellipsis));
    const tail = parseGroups(text.slice(ellipsis + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function isIPv4Mapped(bytes: number[]): boolean {
  return (
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  );
}

/** The address, or an error message as the Kubernetes library words it. */
export function parseIp(text: string): IpAddress | string {
  const v4 = parseIPv4(text);
  if (v4) return { family: 4, bytes: v4 };
  if (text.includes('%')) {
    const address = parseIPv6(text.slice(0, text.indexOf('%')));
    if (address && text.length > text.indexOf('%') + 1) {
      return `IP address "${text}" with zone value is not allowed`;
    }
  }
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  if (!v6)
    return `IP Address "${text}" parse error during conversion from string: ParseAddr("${text}"): unable to parse IP`;
  if (isIPv4Mapped(v6)) return `IPv4-mapped IPv6 address "${text}" is not allowed`;
  return { family: 6, bytes: v6 };
}

/** The canonical text of an address (RFC 5952 for IPv6), as Go's netip prints it. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** A CIDR (`address/bits`), or an error message. */
export function parseCidr(text: string): { ip: IpAddress; bits: number } | string {
  const slash = text.lastIndexOf('/');
  const bad = `network address "${text}" parse error during conversion from string: netip.ParsePrefix("${text}"): bad prefix`;
  if (slash < 0) return bad;
  const ip = parseIp(text.slice(0, slash));
  if (typeof ip === 'string') return ip;
  const bitsText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText)) return bad;
  const bits = Number(bitsText);
  if (bits > (ip.family === 4 ? 32 : 128)) return bad;
  return { ip, bits };
}
