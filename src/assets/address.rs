//! SSRF address policy: decides which hosts and IP addresses may be dialed.
//!
//! This module resolves a URL's host itself (IP literals, `resolve` pins, or
//! std `ToSocketAddrs`), classifies every resulting address and returns the
//! checked socket addresses. The fetcher then makes ureq connect to exactly
//! those addresses, so there is no DNS-rebinding gap between check and use.
//!
//! By default only public unicast addresses pass. `allow_hosts` and `resolve`
//! entries lift the non-public restriction for the named host (e.g. loopback
//! test servers), but addresses that are never legitimate targets — cloud
//! metadata, unspecified, multicast, broadcast — stay refused regardless.
//!
//! It must not open connections, print, or panic.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

use url::{Host, Url};

use crate::assets::error::ImageError;

/// Which hosts may be contacted, and name pins (like `curl --resolve`).
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    /// Hosts (name or IP literal, matched case-insensitively) that may resolve
    /// to non-public addresses; `None` port means any port.
    pub allow_hosts: Vec<(String, Option<u16>)>,
    /// `(host, port, ip)`: connect to `ip` for `host:port` instead of resolving
    /// it; such a pin also allows non-public addresses for that host and port.
    pub resolve: Vec<(String, u16, IpAddr)>,
}

/// The category of an IP address, as far as the SSRF policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// Globally routable unicast.
    Public,
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// RFC 1918 ranges and IPv6 unique-local fc00::/7.
    Private,
    /// 169.254.0.0/16, fe80::/10.
    LinkLocal,
    /// Carrier-grade NAT 100.64.0.0/10.
    SharedCgnat,
    /// Cloud metadata endpoints (169.254.169.254, fd00:ec2::254).
    Metadata,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// 224.0.0.0/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// TEST-NET-1/2/3, 2001:db8::/32.
    Documentation,
    /// Benchmarking, protocol-assignment, reserved and deprecated ranges.
    Reserved,
}

impl AddressClass {
    /// Classes that no allow-list entry can make dialable.
    pub fn is_never_allowed(self) -> bool {
        matches!(
            self,
            AddressClass::Metadata
                | AddressClass::Unspecified
                | AddressClass::Multicast
                | AddressClass::Broadcast
        )
    }
}

/// Classify an IP address (IPv4-mapped and similar IPv6 forms are unwrapped).
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// True when `ip` may be dialed without any allow-list entry.
pub fn is_public(ip: IpAddr) -> bool {
    classify(ip) == AddressClass::Public
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], bits: u32) -> bool {
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    use AddressClass::*;
    let table: &[([u8; 4], u32, AddressClass)] = &[
        ([169, 254, 169, 254], 32, Metadata),
        ([255, 255, 255, 255], 32, Broadcast),
        ([0, 0, 0, 0], 8, Unspecified),
        ([127, 0, 0, 0], 8, Loopback),
        ([10, 0, 0, 0], 8, Private),
        ([172, 16, 0, 0], 12, Private),
        ([192, 168, 0, 0], 16, Private),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([100, 64, 0, 0], 10, SharedCgnat),
        ([192, 0, 2, 0], 24, Documentation),
        ([198, 51, 100, 0], 24, Documentation),
        ([203, 0, 113, 0], 24, Documentation),
        ([192, 0, 0, 0], 24, Reserved),
        ([192, 88, 99, 0], 24, Reserved),
        ([198, 18, 0, 0], 15, Reserved),
        ([224, 0, 0, 0], 4, Multicast),
        ([240, 0, 0, 0], 4, Reserved),
    ];
    table
        .iter()
        .find(|(net, bits, _)| in_v4(ip, *net, *bits))
        .map_or(Public, |(_, _, class)| *class)
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], bits: u32) -> bool {
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - bits)
    };
    (u128::from(ip) & mask) == (u128::from(Ipv6Addr::from(net)) & mask)
}

/// The IPv4 address embedded in mapped, NAT64 and 6to4 forms.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from(((hi as u32) << 16) | lo as u32);
    if in_v6(ip, [0, 0, 0, 0, 0, 0xffff, 0, 0], 96)
        || in_v6(ip, [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96)
    {
        return Some(low(s[6], s[7]));
    }
    if in_v6(ip, [0x2002, 0, 0, 0, 0, 0, 0, 0], 16) {
        return Some(low(s[1], s[2]));
    }
    None
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    use AddressClass::*;
    if ip.is_unspecified() {
        return Unspecified;
    }
    if ip.is_loopback() {
        return Loopback;
    }
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let table: &[([u16; 8], u32, AddressClass)] = &[
        ([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254], 128, Metadata),
        ([0, 0, 0, 0, 0, 0, 0, 0], 96, Reserved), // IPv4-compatible (deprecated)
        ([0x100, 0, 0, 0, 0, 0, 0, 0], 64, Reserved), // discard-only
        ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, Documentation),
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23, Reserved), // IETF protocol assignments, Teredo
        ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, Private),
        ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, LinkLocal),
        ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, Private), // site-local (deprecated)
        ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, Multicast),
    ];
    let class = table
        .iter()
        .find(|(net, bits, _)| in_v6(ip, *net, *bits))
        .map(|(_, _, class)| *class);
    match class {
        Some(class) => class,
        // Only 2000::/3 is allocated global unicast.
        None if in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) => Public,
        None => Reserved,
    }
}

/// A name lookup: host and port to addresses.
pub type Lookup<'a> = dyn Fn(&str, u16) -> Result<Vec<SocketAddr>, ImageError> + 'a;

impl AddressPolicy {
    fn host_allowed(&self, host: &str, port: u16) -> bool {
        self.allow_hosts
            .iter()
            .any(|(h, p)| h.eq_ignore_ascii_case(host) && p.is_none_or(|p| p == port))
    }

    fn pinned(&self, host: &str, port: u16) -> Option<IpAddr> {
        self.resolve
            .iter()
            .find(|(h, p, _)| h.eq_ignore_ascii_case(host) && *p == port)
            .map(|(_, _, ip)| *ip)
    }

    /// Resolve `url`'s host and check every address; on success the returned
    /// addresses (never empty) are the only ones that may be dialed.
    pub fn resolve_checked(&self, url: &Url) -> Result<Vec<SocketAddr>, ImageError> {
        self.resolve_checked_within(url, None)
    }

    /// As [`AddressPolicy::resolve_checked`], giving up a DNS lookup after
    /// `timeout` (the lookup thread is left to finish on its own).
    pub fn resolve_checked_within(
        &self,
        url: &Url,
        timeout: Option<Duration>,
    ) -> Result<Vec<SocketAddr>, ImageError> {
        self.resolve_checked_by(url, &|host, port| lookup(host, port, timeout))
    }

    /// As [`AddressPolicy::resolve_checked`], with the name lookup done by
    /// `lookup` (a run's cache: `assets::hosts`). Pinned names and IP
    /// literals are never looked up; every address is checked, cached or not.
    pub fn resolve_checked_by(
        &self,
        url: &Url,
        lookup: &Lookup<'_>,
    ) -> Result<Vec<SocketAddr>, ImageError> {
        check_scheme(url)?;
        let port = url
            .port_or_known_default()
            .ok_or_else(|| ImageError::InvalidUrl(url.to_string()))?;
        let host = host_key(url)?;
        let pinned = self.pinned(&host, port);
        let addrs = match (pinned, url.host()) {
            (Some(ip), _) => vec![SocketAddr::new(ip, port)],
            (None, Some(Host::Ipv4(ip))) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
            (None, Some(Host::Ipv6(ip))) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
            (None, _) => lookup(&host, port)?,
        };
        let lifted = pinned.is_some() || self.host_allowed(&host, port);
        for addr in &addrs {
            check_address(&host, addr.ip(), lifted)?;
        }
        Ok(addrs)
    }
}

/// Only `http` and `https` URLs may be fetched.
pub fn check_scheme(url: &Url) -> Result<(), ImageError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(ImageError::UnsupportedScheme(other.to_string())),
    }
}

/// The host as written in allow-lists: lower-case name or bare IP literal.
fn host_key(url: &Url) -> Result<String, ImageError> {
    match url.host() {
        Some(Host::Domain(d)) => Ok(d.to_ascii_lowercase()),
        Some(Host::Ipv4(ip)) => Ok(ip.to_string()),
        Some(Host::Ipv6(ip)) => Ok(ip.to_string()),
        None => Err(ImageError::InvalidUrl(url.to_string())),
    }
}

/// The system resolver's addresses for `host`, giving up after `timeout`.
pub(crate) fn lookup(
    host: &str,
    port: u16,
    timeout: Option<Duration>,
) -> Result<Vec<SocketAddr>, ImageError> {
    let addrs = match timeout {
        None => system_lookup(host, port),
        Some(limit) => {
            let (tx, rx) = mpsc::channel();
            let name = host.to_string();
            std::thread::spawn(move || {
                let _ = tx.send(system_lookup(&name, port));
            });
            rx.recv_timeout(limit)
                .map_err(|_| ImageError::Timeout(format!("resolving {host}")))?
        }
    }?;
    if addrs.is_empty() {
        return Err(ImageError::Resolve(format!("{host}: no addresses")));
    }
    Ok(addrs)
}

fn system_lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, ImageError> {
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| ImageError::Resolve(format!("{host}: {e}")))?;
    Ok(addrs.collect())
}

fn check_address(host: &str, ip: IpAddr, lifted: bool) -> Result<(), ImageError> {
    let class = classify(ip);
    let ok = class == AddressClass::Public || (lifted && !class.is_never_allowed());
    if ok {
        Ok(())
    } else {
        Err(ImageError::Blocked {
            host: host.to_string(),
            addr: ip,
            class,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        use AddressClass::*;
        let table: &[(&str, AddressClass)] = &[
            ("8.8.8.8", Public),
            ("1.1.1.1", Public),
            ("93.184.216.34", Public),
            ("127.0.0.1", Loopback),
            ("127.255.255.254", Loopback),
            ("10.1.2.3", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("172.32.0.1", Public),
            ("192.168.1.1", Private),
            ("169.254.1.1", LinkLocal),
            ("169.254.169.254", Metadata),
            ("100.64.0.1", SharedCgnat),
            ("100.127.255.255", SharedCgnat),
            ("100.128.0.1", Public),
            ("0.0.0.0", Unspecified),
            ("0.1.2.3", Unspecified),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("255.255.255.255", Broadcast),
            ("240.0.0.1", Reserved),
            ("192.0.2.5", Documentation),
            ("198.51.100.5", Documentation),
            ("203.0.113.5", Documentation),
            ("198.18.0.1", Reserved),
            ("::1", Loopback),
            ("::", Unspecified),
            ("fc00::1", Private),
            ("fd12:3456::1", Private),
            ("fe80::1", LinkLocal),
            ("ff02::1", Multicast),
            ("2001:db8::1", Documentation),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:169.254.169.254", Metadata),
            ("::ffff:10.0.0.1", Private),
            ("::ffff:8.8.8.8", Public),
            ("64:ff9b::a00:1", Private),
            ("2002:7f00:1::", Loopback),
            ("::127.0.0.1", Reserved),
            ("fd00:ec2::254", Metadata),
            ("2606:4700:4700::1111", Public),
            ("2001:4860:4860::8888", Public),
            ("2001::1", Reserved),
            ("4000::1", Reserved),
        ];
        for (text, want) in table {
            let ip: IpAddr = text.parse().expect("test address parses");
            assert_eq!(classify(ip), *want, "{text}");
        }
    }

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url parses")
    }

    #[test]
    fn literals_are_checked_by_default() {
        let policy = AddressPolicy::default();
        for u in [
            "http://127.0.0.1/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::ffff:7f00:1]/",
            "http://10.0.0.1:8080/",
        ] {
            let err = policy.resolve_checked(&url(u)).unwrap_err();
            assert!(matches!(err, ImageError::Blocked { .. }), "{u}: {err}");
        }
        let ok = policy.resolve_checked(&url("http://8.8.8.8/a")).unwrap();
        assert_eq!(ok, vec!["8.8.8.8:80".parse().unwrap()]);
    }

    #[test]
    fn schemes_other_than_http_are_refused() {
        let policy = AddressPolicy::default();
        for u in ["file:///etc/passwd", "ftp://8.8.8.8/x", "gopher://8.8.8.8/"] {
            let err = policy.resolve_checked(&url(u)).unwrap_err();
            assert!(matches!(err, ImageError::UnsupportedScheme(_)), "{u}");
        }
    }

    #[test]
    fn allow_hosts_lifts_private_but_not_metadata() {
        let policy = AddressPolicy {
            allow_hosts: vec![
                ("127.0.0.1".into(), Some(8080)),
                ("169.254.169.254".into(), None),
            ],
            resolve: vec![],
        };
        assert!(
            policy
                .resolve_checked(&url("http://127.0.0.1:8080/"))
                .is_ok()
        );
        assert!(
            policy
                .resolve_checked(&url("http://127.0.0.1:8081/"))
                .is_err()
        );
        assert!(
            policy
                .resolve_checked(&url("http://169.254.169.254/"))
                .is_err()
        );
    }

    #[test]
    fn pins_replace_resolution() {
        let policy = AddressPolicy {
            allow_hosts: vec![],
            resolve: vec![
                ("img.test".into(), 80, "127.0.0.1".parse().unwrap()),
                ("meta.test".into(), 80, "169.254.169.254".parse().unwrap()),
                ("pub.test".into(), 443, "8.8.8.8".parse().unwrap()),
            ],
        };
        let got = policy.resolve_checked(&url("http://IMG.test/a")).unwrap();
        assert_eq!(got, vec!["127.0.0.1:80".parse().unwrap()]);
        let got = policy.resolve_checked(&url("https://pub.test/a")).unwrap();
        assert_eq!(got, vec!["8.8.8.8:443".parse().unwrap()]);
        let err = policy
            .resolve_checked(&url("http://meta.test/"))
            .unwrap_err();
        assert!(matches!(
            err,
            ImageError::Blocked {
                class: AddressClass::Metadata,
                ..
            }
        ));
    }

    #[test]
    fn localhost_name_is_refused() {
        let policy = AddressPolicy::default();
        let err = policy
            .resolve_checked(&url("http://localhost:9/"))
            .unwrap_err();
        assert!(
            matches!(err, ImageError::Blocked { .. } | ImageError::Resolve(_)),
            "{err}"
        );
    }
}
