/**
 * Names the filter language resolves at compile time: service (port) names, IP protocol names, EtherType
 * names, and host names from /etc/hosts.
 *
 * libpcap asks the C library (getservbyname, getprotobyname). pcapsift reads /etc/services and
 * /etc/protocols when they exist and otherwise falls back to the built-in tables below (Debian 12's entries
 * for the common names), so a filter means the same on a machine without them.
 */
import * as fs from 'node:fs';

/** Debian 12 /etc/services entries for the common names: `name port/proto [aliases]`. */
const BUILTIN_SERVICES = `tcpmux 1/tcp;echo 7/tcp;echo 7/udp;discard 9/tcp sink null;discard 9/udp sink null;systat 11/tcp users;
daytime 13/tcp;daytime 13/udp;netstat 15/tcp;qotd 17/tcp quote;chargen 19/tcp ttytst source;chargen 19/udp ttytst source;
ftp-data 20/tcp;ftp 21/tcp;fsp 21/udp fspd;ssh 22/tcp;telnet 23/tcp;smtp 25/tcp mail;time 37/tcp timserver;
time 37/udp timserver;whois 43/tcp nicname;tacacs 49/tcp;tacacs 49/udp;domain 53/tcp;domain 53/udp;bootps 67/udp;
bootpc 68/udp;tftp 69/udp;gopher 70/tcp;finger 79/tcp;http 80/tcp www;kerberos 88/tcp kerberos5 krb5 kerberos-sec;
kerberos 88/udp kerberos5 krb5 kerberos-sec;iso-tsap 102/tcp tsap;acr-nema 104/tcp dicom;pop3 110/tcp pop-3;
sunrpc 111/tcp portmapper;sunrpc 111/udp portmapper;auth 113/tcp authentication tap ident;nntp 119/tcp readnews untp;
ntp 123/udp;epmap 135/tcp loc-srv;netbios-ns 137/udp;netbios-dgm 138/udp;netbios-ssn 139/tcp;imap2 143/tcp imap;
snmp 161/tcp;snmp 161/udp;snmp-trap 162/tcp snmptrap;snmp-trap 162/udp snmptrap;xdmcp 177/udp;bgp 179/tcp;
smux 199/tcp;ldap 389/tcp;ldap 389/udp;svrloc 427/tcp;svrloc 427/udp;https 443/tcp;https 443/udp;
microsoft-ds 445/tcp;kpasswd 464/tcp;kpasswd 464/udp;submissions 465/tcp ssmtp smtps urd;isakmp 500/udp;
rtsp 554/tcp;rtsp 554/udp;ipp 631/tcp;exec 512/tcp;biff 512/udp comsat;login 513/tcp;who 513/udp whod;
shell 514/tcp cmd syslog;syslog 514/udp;printer 515/tcp spooler;talk 517/udp;ntalk 518/udp;route 520/udp router routed;
submission 587/tcp;ldaps 636/tcp;ldaps 636/udp;rsync 873/tcp;ftps-data 989/tcp;ftps 990/tcp;telnets 992/tcp;
imaps 993/tcp;pop3s 995/tcp;socks 1080/tcp;openvpn 1194/tcp;openvpn 1194/udp;ms-sql-s 1433/tcp;ms-sql-m 1434/udp;
l2f 1701/udp l2tp;radius 1812/tcp;radius 1812/udp;radius-acct 1813/tcp radacct;radius-acct 1813/udp radacct;
nfs 2049/tcp;nfs 2049/udp;mysql 3306/tcp;ms-wbt-server 3389/tcp;mdns 5353/udp;postgresql 5432/tcp postgres;
x11 6000/tcp x11-0;http-alt 8080/tcp webcache;dhcpv6-client 546/udp;dhcpv6-server 547/udp;syslog-tls 6514/tcp`;

/** Debian 12 /etc/protocols: `name number alias`. */
const BUILTIN_PROTOCOLS = `ip 0 IP;hopopt 0 HOPOPT;icmp 1 ICMP;igmp 2 IGMP;ggp 3 GGP;ipencap 4 IP-ENCAP;st 5 ST;tcp 6 TCP;
egp 8 EGP;igp 9 IGP;pup 12 PUP;udp 17 UDP;hmp 20 HMP;xns-idp 22 XNS-IDP;rdp 27 RDP;iso-tp4 29 ISO-TP4;dccp 33 DCCP;
xtp 36 XTP;ddp 37 DDP;idpr-cmtp 38 IDPR-CMTP;ipv6 41 IPv6;ipv6-route 43 IPv6-Route;ipv6-frag 44 IPv6-Frag;idrp 45 IDRP;
rsvp 46 RSVP;gre 47 GRE;esp 50 IPSEC-ESP;ah 51 IPSEC-AH;skip 57 SKIP;ipv6-icmp 58 IPv6-ICMP;ipv6-nonxt 59 IPv6-NoNxt;
ipv6-opts 60 IPv6-Opts;rspf 73 RSPF CPHB;vmtp 81 VMTP;eigrp 88 EIGRP;ospf 89 OSPFIGP;ax.25 93 AX.25;ipip 94 IPIP;
etherip 97 ETHERIP;encap 98 ENCAP;pim 103 PIM;ipcomp 108 IPCOMP;vrrp 112 VRRP;l2tp 115 L2TP;isis 124 ISIS;sctp 132 SCTP;
fc 133 FC;mobility-header 135 Mobility-Header;udplite 136 UDPLite;mpls-in-ip 137 MPLS-in-IP;manet 138;hip 139 HIP;
shim6 140 Shim6;wesp 141 WESP;rohc 142 ROHC;ethernet 143 Ethernet;mptcp 262 MPTCP`;

/** libpcap's own EtherType names (`pcap_nametoeproto`, nametoaddr.c `eproto_db`). */
const ETHER_PROTOCOLS: ReadonlyMap<string, number> = new Map([
  ['aarp', 0x80f3], ['arp', 0x0806], ['atalk', 0x809b], ['decnet', 0x6003], ['ip', 0x0800], ['ip6', 0x86dd],
  ['lat', 0x6004], ['loopback', 0x9000], ['mopdl', 0x6001], ['moprc', 0x6002], ['rarp', 0x8035], ['sca', 0x6007],
]);

/** libpcap's LLC SAP names (`pcap_nametollc`). */
const LLC_PROTOCOLS: ReadonlyMap<string, number> = new Map([
  ['iso', 0xfe], ['stp', 0x42], ['ipx', 0xe0], ['netbeui', 0xf0],
]);

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;
/** libpcap's PROTO_UNDEF: a service known with one number for several transports. */
export const PROTO_UNDEF = -1;

interface ServiceEntry {
  tcp: number | undefined;
  udp: number | undefined;
}

let services: Map<string, ServiceEntry> | undefined;
let protocols: Map<string, number> | undefined;

function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function loadServices(): Map<string, ServiceEntry> {
  if (services !== undefined) return services;
  const text = readText('/etc/services');
  const lines = text !== undefined ? text.split('\n') : BUILTIN_SERVICES.replace(/\n/g, '').split(';');
  const map = new Map<string, ServiceEntry>();
  for (const raw of lines) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (words.length < 2) continue;
    const m = /^(\d+)\/(tcp|udp)$/.exec(words[1]!);
    if (m === null) continue;
    const port = Number(m[1]);
    for (const name of [words[0]!, ...words.slice(2)]) {
      let e = map.get(name);
      if (e === undefined) map.set(name, (e = { tcp: undefined, udp: undefined }));
      // getservbyname returns the first matching line, as the file lists it.
      if (m[2] === 'tcp' && e.tcp === undefined) e.tcp = port;
      if (m[2] === 'udp' && e.udp === undefined) e.udp = port;
    }
  }
  services = map;
  return map;
}

function loadProtocols(): Map<string, number> {
  if (protocols !== undefined) return protocols;
  const text = readText('/etc/protocols');
  const lines = text !== undefined ? text.split('\n') : BUILTIN_PROTOCOLS.replace(/\n/g, '').split(';');
  const map = new Map<string, number>();
  for (const raw of lines) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (words.length < 2 || !/^\d+$/.test(words[1]!)) continue;
    for (const name of [words[0]!, ...words.slice(2)]) if (!map.has(name)) map.set(name, Number(words[1]));
  }
  protocols = map;
  return map;
}

/**
 * Looks a service name up as `pcap_nametoport` does: the port and the transport it belongs to
 * (IPPROTO_TCP, IPPROTO_UDP, or PROTO_UNDEF when TCP and UDP both list it with the same number).
 */
export function lookupPort(name: string): { port: number; proto: number } | undefined {
  const e = loadServices().get(name);
  if (e === undefined) return undefined;
  if (e.tcp !== undefined) {
    if (e.udp !== undefined && e.udp === e.tcp) return { port: e.tcp, proto: PROTO_UNDEF };
    return { port: e.tcp, proto: IPPROTO_TCP };
  }
  if (e.udp !== undefined) return { port: e.udp, proto: IPPROTO_UDP };
  return undefined;
}

/** Looks an IP protocol name up as getprotobyname does (name or alias, case-sensitive). */
export function lookupIpProto(name: string): number | undefined {
  return loadProtocols().get(name);
}

/** Looks an EtherType name up (`ether proto \arp`). */
export function lookupEtherProto(name: string): number | undefined {
  return ETHER_PROTOCOLS.get(name);
}

/** Looks an LLC SAP name up (`ether proto \stp`). */
export function lookupLlc(name: string): number | undefined {
  return LLC_PROTOCOLS.get(name);
}

/** Resolves a host name from /etc/hosts (pcapsift never queries DNS): its IPv4 and IPv6 addresses as text. */
export function lookupHost(name: string): { v4: string[]; v6: string[] } | undefined {
  const text = readText('/etc/hosts') ?? '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n';
  const v4: string[] = [];
  const v6: string[] = [];
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (words.length < 2 || !words.slice(1).includes(name)) continue;
    const addr = words[0]!;
    if (addr.includes(':')) {
      if (!v6.includes(addr)) v6.push(addr);
    } else if (!v4.includes(addr)) v4.push(addr);
  }
  if (v4.length === 0 && v6.length === 0) return undefined;
  return { v4, v6 };
}
