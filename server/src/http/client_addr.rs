//! Who the client is, as an address: the socket's peer, or — when the peer is one of
//! `MASKER19_TRUSTED_PROXIES` — the last `X-Forwarded-For` hop (the address the proxy saw).
//! Anyone else's `X-Forwarded-For` is ignored: a client cannot choose its own address.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

pub fn client_addr(peer: SocketAddr, headers: &HeaderMap, trusted_proxies: &[IpNet]) -> IpAddr {
    let peer_ip = canonical(peer.ip());
    if !trusted_proxies.iter().any(|net| net.contains(&peer_ip)) {
        return peer_ip;
    }
    last_forwarded_hop(headers).unwrap_or(peer_ip)
}

/// The last hop of all `X-Forwarded-For` headers together (a proxy appends the address it saw).
fn last_forwarded_hop(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim();
    let ip = last
        .parse::<IpAddr>()
        .or_else(|_| last.parse::<SocketAddr>().map(|s| s.ip()))
        .or_else(|_| last.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>())
        .ok()?;
    Some(canonical(ip))
}

/// `::ffff:127.0.0.1` is 127.0.0.1: one address, one key.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn a_trusted_proxy_names_the_client_by_its_last_hop() -> anyhow::Result<()> {
        let trusted: Vec<IpNet> = vec![IpNet::from(ip("127.0.0.1")), "10.0.0.0/8".parse()?];
        let proxy: SocketAddr = "127.0.0.1:40000".parse()?;
        let h = headers(&["203.0.113.9, 198.51.100.1", "192.0.2.44"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("192.0.2.44"));
        let h = headers(&["203.0.113.9, 2001:db8::1"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("2001:db8::1"));
        let h = headers(&["[2001:db8::2]:443"]);
        assert_eq!(client_addr(proxy, &h, &trusted), ip("2001:db8::2"));
        let inner: SocketAddr = "10.1.2.3:5000".parse()?;
        assert_eq!(client_addr(inner, &headers(&["192.0.2.7"]), &trusted), ip("192.0.2.7"));
        assert_eq!(
            client_addr(proxy, &headers(&[]), &trusted),
            ip("127.0.0.1"),
            "no header: the proxy"
        );
        assert_eq!(client_addr(proxy, &headers(&["unknown"]), &trusted), ip("127.0.0.1"));
        Ok(())
    }

    #[test]
    fn anyone_elses_header_is_ignored() -> anyhow::Result<()> {
        let peer: SocketAddr = "192.0.2.5:1234".parse()?;
        let h = headers(&["203.0.113.9"]);
        assert_eq!(client_addr(peer, &h, &[]), ip("192.0.2.5"), "no trusted proxies");
        assert_eq!(
            client_addr(peer, &h, &[IpNet::from(ip("127.0.0.1"))]),
            ip("192.0.2.5"),
            "a peer that is not a trusted proxy"
        );
        let mapped: SocketAddr = "[::ffff:192.0.2.5]:1".parse()?;
        assert_eq!(client_addr(mapped, &h, &[]), ip("192.0.2.5"));
        Ok(())
    }
}
