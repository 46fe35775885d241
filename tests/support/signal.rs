//! A phone's signal between a browser and a test server: a TCP proxy on 127.0.0.1 that passes
//! connections through, refuses them (no signal: the page and its service worker both see a
//! failed request, which Chromium's network emulation does not give a service worker), or passes
//! the request on and loses the answer (the server did the work, the phone never heard back).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Net {
    Online = 0,
    /// Every connection is closed at once.
    Offline = 1,
    /// Requests reach the server; the connection closes as the answer starts coming back.
    LoseAnswers = 2,
}

pub struct Signal {
    state: Arc<AtomicU8>,
    open: Arc<Mutex<Vec<AbortHandle>>>,
    /// `http://127.0.0.1:PORT` of the proxy.
    pub base: String,
    task: AbortHandle,
}

impl Drop for Signal {
    fn drop(&mut self) {
        self.task.abort();
        self.cut();
    }
}

impl Signal {
    /// A proxy in front of `backend` (`host:port`), online.
    pub async fn start(backend: &str) -> Signal {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let base = format!("http://{}", listener.local_addr().expect("proxy address"));
        let state = Arc::new(AtomicU8::new(Net::Online as u8));
        let open: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let backend = backend.to_string();
        let (st, op) = (state.clone(), open.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let mode = st.load(Ordering::SeqCst);
                if mode == Net::Offline as u8 {
                    drop(client);
                    continue;
                }
                let backend = backend.clone();
                let handle = tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&backend).await else { return };
                    if mode == Net::LoseAnswers as u8 {
                        lose_answer(client, server).await;
                    } else {
                        let (mut c, mut s) = (client, server);
                        let _ = tokio::io::copy_bidirectional(&mut c, &mut s).await;
                    }
                });
                op.lock().unwrap().push(handle.abort_handle());
            }
        })
        .abort_handle();
        Signal { state, open, base, task }
    }

    pub fn set(&self, net: Net) {
        self.state.store(net as u8, Ordering::SeqCst);
        if net != Net::Online {
            // Kept-alive connections go too, as when a phone loses its signal.
            self.cut();
        }
    }

    fn cut(&self) {
        for h in self.open.lock().unwrap().drain(..) {
            h.abort();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

async fn lose_answer(client: TcpStream, server: TcpStream) {
    let (mut cr, _cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = cr.read(&mut buf).await {
            if n == 0 || sw.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    // The first bytes of the answer mean the server has done the work; the phone never sees them.
    let mut first = [0u8; 1];
    let _ = sr.read(&mut first).await;
    up.abort();
}
