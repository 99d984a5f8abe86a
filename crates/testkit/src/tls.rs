//! TLS mode: a throwaway CA (rcgen) signs a certificate for `discord.com`; serenity's reqwest
//! client trusts that CA and resolves `discord.com` to the local server, so serenity's own
//! ratelimiter (which ignores the proxy setting) is exercised unchanged.

use std::net::SocketAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;

use super::error::TestkitError;

/// The host serenity's routes name.
pub const DISCORD_HOST: &str = "discord.com";

/// A test CA and the server side built from it.
#[derive(Clone)]
pub struct TestTls {
    /// DER of the CA certificate a client must trust.
    pub ca_der: Vec<u8>,
    pub acceptor: TlsAcceptor,
}

fn tls_err(e: impl std::fmt::Display) -> TestkitError {
    TestkitError::Tls(e.to_string())
}

impl TestTls {
    /// Makes a fresh CA and a `discord.com` certificate signed by it.
    pub fn generate() -> Result<Self, TestkitError> {
        let ca_key = KeyPair::generate().map_err(tls_err)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "intakebot test CA");
        let ca = ca_params.self_signed(&ca_key).map_err(tls_err)?;

        let leaf_key = KeyPair::generate().map_err(tls_err)?;
        let leaf_params = CertificateParams::new(vec![DISCORD_HOST.to_string()]).map_err(tls_err)?;
        let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).map_err(tls_err)?;

        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let chain = vec![CertificateDer::from(leaf.der().to_vec())];
        let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(tls_err)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(tls_err)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TestTls {
            ca_der: ca.der().to_vec(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// A reqwest client (the version serenity uses) that reaches `addr` for `discord.com`.
    pub fn client(&self, addr: SocketAddr) -> Result<reqwest::Client, TestkitError> {
        client_trusting(&self.ca_der, addr)
    }
}

/// A reqwest client that trusts the test CA `ca_der` and reaches `addr` for `discord.com`;
/// for a bot in another process than the fake (see [`super::FakeDiscord::tls_ca_der`]).
pub fn client_trusting(ca_der: &[u8], addr: SocketAddr) -> Result<reqwest::Client, TestkitError> {
    let ca = reqwest::Certificate::from_der(ca_der).map_err(tls_err)?;
    reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca)
        .resolve(DISCORD_HOST, addr)
        .build()
        .map_err(tls_err)
}
