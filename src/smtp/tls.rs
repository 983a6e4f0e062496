//! The STARTTLS certificate: read from PEM files, and read again when either file's
//! modification time changes (checked at each STARTTLS), so a renewed certificate is used
//! without a restart. A renewal that does not load keeps the previous certificate in use,
//! with a warning in the log.

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tokio_rustls::TlsAcceptor;

pub struct TlsSource {
    cert: PathBuf,
    key: PathBuf,
    current: Mutex<Loaded>,
}

struct Loaded {
    stamps: (Option<SystemTime>, Option<SystemTime>),
    acceptor: TlsAcceptor,
}

fn modified(path: &PathBuf) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn load(cert: &PathBuf, key: &PathBuf) -> anyhow::Result<TlsAcceptor> {
    let cert_pem = std::fs::read(cert)
        .map_err(|e| anyhow::anyhow!("smtp_tls_cert {}: {e}", cert.display()))?;
    let key_pem =
        std::fs::read(key).map_err(|e| anyhow::anyhow!("smtp_tls_key {}: {e}", key.display()))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("smtp_tls_cert {}: {e:?}", cert.display()))?;
    if chain.is_empty() {
        anyhow::bail!(
            "smtp_tls_cert {}: no certificate in the file",
            cert.display()
        );
    }
    let key_der = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| anyhow::anyhow!("smtp_tls_key {}: {e:?}", key.display()))?;
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| anyhow::anyhow!("tls: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, key_der)
            .map_err(|e| anyhow::anyhow!("smtp_tls_cert/smtp_tls_key: {e}"))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

impl TlsSource {
    /// Loads the files now: a certificate that does not load stops the start.
    pub fn load(cert: PathBuf, key: PathBuf) -> anyhow::Result<TlsSource> {
        let stamps = (modified(&cert), modified(&key));
        let acceptor = load(&cert, &key)?;
        Ok(TlsSource {
            cert,
            key,
            current: Mutex::new(Loaded { stamps, acceptor }),
        })
    }

    /// The acceptor for the files as they are now.
    pub fn acceptor(&self) -> Option<TlsAcceptor> {
        let mut current = self.current.lock().ok()?;
        let stamps = (modified(&self.cert), modified(&self.key));
        if stamps != current.stamps {
            match load(&self.cert, &self.key) {
                Ok(acceptor) => {
                    tracing::info!(cert = %self.cert.display(), "STARTTLS certificate reloaded");
                    current.acceptor = acceptor;
                    current.stamps = stamps;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "STARTTLS certificate changed but does not load; keeping the previous one");
                    // Not retried at every STARTTLS until the files change again.
                    current.stamps = stamps;
                }
            }
        }
        Some(current.acceptor.clone())
    }
}
