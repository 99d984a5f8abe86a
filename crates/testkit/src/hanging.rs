//! Servers for start-up failure tests: one that accepts TCP on a REST and a gateway port and never
//! answers (not even the WebSocket handshake), and a loopback address where nothing listens.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::TestkitError;

/// Accepts connections and holds them open without reading or writing a byte.
pub struct HangingServer {
    rest_addr: SocketAddr,
    gateway_addr: SocketAddr,
    accepted: watch::Sender<u64>,
    tasks: Vec<JoinHandle<()>>,
}

impl HangingServer {
    pub async fn start() -> Result<Self, TestkitError> {
        let rest = TcpListener::bind("127.0.0.1:0").await?;
        let gateway = TcpListener::bind("127.0.0.1:0").await?;
        let (rest_addr, gateway_addr) = (rest.local_addr()?, gateway.local_addr()?);
        let accepted = watch::Sender::new(0);
        let tasks = vec![
            tokio::spawn(hold(rest, accepted.clone())),
            tokio::spawn(hold(gateway, accepted.clone())),
        ];
        Ok(HangingServer {
            rest_addr,
            gateway_addr,
            accepted,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT` of the REST side (for a proxy setting).
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.rest_addr)
    }

    pub fn rest_addr(&self) -> SocketAddr {
        self.rest_addr
    }

    /// `ws://127.0.0.1:PORT` of the gateway side.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }

    /// Connections accepted so far on either port.
    pub fn accepted(&self) -> u64 {
        *self.accepted.borrow()
    }

    /// Waits until at least `n` connections were accepted (the client is stuck on us).
    pub async fn wait_for_connections(&self, n: u64, timeout: Duration) -> Result<(), TestkitError> {
        let mut changes = self.accepted.subscribe();
        let reached = tokio::time::timeout(timeout, changes.wait_for(|count| *count >= n)).await;
        match reached {
            Ok(Ok(_)) => Ok(()),
            _ => Err(TestkitError::Timeout(
                timeout,
                format!("{n} connections to the hanging server"),
            )),
        }
    }
}

impl Drop for HangingServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn hold(listener: TcpListener, accepted: watch::Sender<u64>) {
    let mut held: Vec<TcpStream> = Vec::new();
    while let Ok((stream, _)) = listener.accept().await {
        held.push(stream);
        accepted.send_modify(|n| *n += 1);
    }
}

/// A loopback port that is bound but not listening: connecting to it is refused at once, and no
/// other test can take the port while this value lives.
pub struct Unreachable {
    _socket: TcpSocket,
    addr: SocketAddr,
}

impl Unreachable {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }
}

/// Reserves an unreachable loopback address.
pub fn unreachable() -> Result<Unreachable, TestkitError> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(
        "127.0.0.1:0"
            .parse()
            .map_err(|_| std::io::Error::other("loopback address"))?,
    )?;
    let addr = socket.local_addr()?;
    Ok(Unreachable { _socket: socket, addr })
}
