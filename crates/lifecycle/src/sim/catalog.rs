//! What well-known images listen on and what those ports answer, from their documentation and
//! default configuration: nginx serves `/` and `/index.html` on port 80 and 404 elsewhere, istio's
//! proxy answers `/healthz/ready` on 15021, linkerd's `/ready` on 4191, cloud-sql-proxy serves its
//! health checks only with `--health-check`, on `localhost` unless told otherwise, and so on.
//!
//! A probe or a `wget` is answered from here: a port the image does not listen on refuses the
//! connection, a path it does not serve gets its 404, a port bound to `localhost` refuses the
//! kubelet (which dials the pod's IP) but answers the pod's other containers. An image outside the
//! table (`Listening::Any`) is taken to answer every port with 200 — a stated assumption.

use super::time::Ms;
use crate::spec::Container;

/// What one port answers over HTTP (or that it is not HTTP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Http {
    /// A plain TCP service (redis, postgres…): connections succeed, HTTP requests fail.
    Tcp,
    /// These paths answer 200, any other path `other`.
    Paths(&'static [&'static str], u16),
    /// Every path answers this status.
    Any(u16),
    /// `/healthz` answers 200 for this long after the container starts, then 500 (the docs'
    /// liveness image, `agnhost liveness`); other paths 404.
    HealthyFor(Ms),
    /// httpbin: `/status/N` answers N, its other endpoints 200, unknown paths 404.
    Httpbin,
}

/// One listening socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    pub port: u16,
    /// Bound to `127.0.0.1`: the pod's containers reach it, the kubelet's probes (to the pod IP) do not.
    pub loopback: bool,
    pub http: Http,
}

/// What a container's process listens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listening {
    /// Exactly these sockets (none: a script, a batch job).
    Ports(Vec<Listen>),
    /// Podstep does not know: every port is taken to answer, HTTP with 200.
    Any,
}

impl Listening {
    pub fn none() -> Listening {
        Listening::Ports(Vec::new())
    }
    /// What a connection to `port` finds: `None` when refused. `from_pod` is true for the pod's own
    /// containers (`localhost`), false for the kubelet and other pods.
    pub fn find(&self, port: u16, from_pod: bool) -> Option<Http> {
        match self {
            Listening::Any => Some(Http::Any(200)),
            Listening::Ports(ports) => ports
                .iter()
                .find(|l| l.port == port && (from_pod || !l.loopback))
                .map(|l| l.http.clone()),
        }
    }
}

impl Http {
    /// The status an HTTP GET of `path` gets, `age` after the container started; `None` when the port
    /// does not speak HTTP (the client sees the connection reset).
    pub fn status(&self, path: &str, age: Ms) -> Option<u16> {
        let path = path.split('?').next().unwrap_or(path);
        let path = if path.is_empty() { "/" } else { path };
        match self {
            Http::Tcp => None,
            Http::Any(code) => Some(*code),
            Http::Paths(ok, other) => Some(if ok.contains(&path) { 200 } else { *other }),
            Http::HealthyFor(d) => Some(match path {
                "/healthz" if age < *d => 200,
                "/healthz" => 500,
                _ => 404,
            }),
            Http::Httpbin => Some(match path.strip_prefix("/status/") {
                Some(code) => code
                    .split(',')
                    .next()
                    .and_then(|c| c.parse().ok())
                    .filter(|c| (100..600).contains(c))
                    .unwrap_or(400),
                None if HTTPBIN.contains(&path) => 200,
                None => 404,
            }),
        }
    }
    /// The answer can change while the container runs (so a probe of it is never steady).
    pub fn changes_with_age(&self) -> bool {
        matches!(self, Http::HealthyFor(_))
    }
}

const HTTPBIN: &[&str] = &[
    "/",
    "/get",
    "/headers",
    "/ip",
    "/user-agent",
    "/uuid",
    "/anything",
    "/delay",
    "/html",
    "/json",
    "/robots.txt",
    "/status",
    "/health",
];

fn tcp(port: u16) -> Listen {
    Listen {
        port,
        loopback: false,
        http: Http::Tcp,
    }
}

fn http(port: u16, http: Http) -> Listen {
    Listen {
        port,
        loopback: false,
        http,
    }
}

fn local(port: u16, http: Http) -> Listen {
    Listen {
        port,
        loopback: true,
        http,
    }
}

/// The container's command and args, as one argv (what the flags are read from).
fn argv(c: &Container) -> Vec<String> {
    c.command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect()
}

/// The value of `--flag=V` or `--flag V` (also with a single dash) in `args`.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let bare = a.trim_start_matches('-');
        if a.starts_with('-') {
            if let Some(v) = bare.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
            if bare == name {
                return it.next().map(String::as_str);
            }
        }
    }
    None
}

fn has_flag(args: &[String], name: &str) -> bool {
    args.iter()
        .any(|a| a.starts_with('-') && a.trim_start_matches('-').split('=').next() == Some(name))
}

/// The port of a listen address (`:8080`, `0.0.0.0:8080`, `http://0.0.0.0:2379`), and whether it binds
/// only the loopback interface.
fn address(a: &str) -> Option<(u16, bool)> {
    let a = a.split(',').next()?;
    let a = a.split("://").last()?;
    let (host, port) = a.rsplit_once(':')?;
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    Some((port.trim_end_matches('/').parse().ok()?, loopback))
}

/// What `image` (its repository name, as `behavior::image_repo` gives it) listens on when run with
/// `c`'s command and args; `None` if the image is not in the table.
pub fn listening(repo: &str, image: &str, c: &Container) -> Option<Listening> {
    let args = argv(c);
    let web = |port| http(port, Http::Paths(&["/", "/index.html", "/50x.html"], 404));
    let ports = match repo {
        "nginx" | "nginx-slim" => {
            if image.contains("unprivileged") || image.contains("bitnami/") {
                vec![web(8080)]
            } else {
                vec![web(80)]
            }
        }
        "nginx-unprivileged" => vec![web(8080)],
        "httpd" => vec![http(80, Http::Paths(&["/", "/index.html"], 404))],
        "redis" => {
            let port = flag(&args, "port")
                .and_then(|p| p.parse().ok())
                .unwrap_or(6379);
            vec![tcp(port)]
        }
        "postgres" => vec![tcp(5432)],
        "mysql" | "mariadb" => vec![tcp(3306), tcp(33060)],
        "mongo" => vec![tcp(27017)],
        "memcached" => vec![tcp(11211)],
        "rabbitmq" => vec![tcp(5672), http(15672, Http::Any(200))],
        "zookeeper" => vec![tcp(2181), http(8080, Http::Any(200))],
        "kafka" => vec![tcp(9092)],
        "elasticsearch" => vec![http(9200, Http::Any(200)), tcp(9300)],
        "consul" => vec![http(8500, Http::Any(200)), tcp(8600)],
        "minio" => vec![http(
            9000,
            Http::Paths(&["/minio/health/live", "/minio/health/ready"], 403),
        )],
        "prometheus" => vec![http(
            9090,
            Http::Paths(&["/", "/-/healthy", "/-/ready", "/graph", "/metrics"], 404),
        )],
        "grafana" => vec![http(
            3000,
            Http::Paths(&["/", "/api/health", "/login"], 404),
        )],
        "node-exporter" => vec![http(9100, Http::Paths(&["/", "/metrics"], 404))],
        "coredns" => vec![
            tcp(53),
            http(8080, Http::Paths(&["/health"], 404)),
            http(8181, Http::Paths(&["/ready"], 404)),
            http(9153, Http::Paths(&["/metrics"], 404)),
        ],
        "etcd" => {
            let (port, loopback) = flag(&args, "listen-client-urls")
                .and_then(address)
                .unwrap_or((2379, true));
            vec![Listen {
                port,
                loopback,
                http: Http::Paths(&["/health", "/version", "/metrics"], 404),
            }]
        }
        // istio's sidecar: the readiness endpoint, merged metrics, and the admin port on localhost.
        "proxyv2" | "istio-proxy" => vec![
            http(15021, Http::Paths(&["/healthz/ready"], 404)),
            http(15020, Http::Any(200)),
            http(15090, Http::Paths(&["/stats/prometheus"], 404)),
            local(15000, Http::Any(200)),
            tcp(15001),
            tcp(15006),
        ],
        "linkerd-proxy" | "proxy" if image.contains("linkerd") => vec![
            http(4191, Http::Paths(&["/ready", "/live", "/metrics"], 404)),
            tcp(4143),
            local(4140, Http::Tcp),
        ],
        "envoy" | "envoy-distroless" => {
            vec![http(9901, Http::Any(200)), http(10000, Http::Any(200))]
        }
        "cloud-sql-proxy" => {
            // v2: instance listeners from --port (default 5432) on --address (default localhost);
            // the health-check server only with --health-check, on --http-port/--http-address.
            let addr_local =
                |key| flag(&args, key).is_none_or(|a| matches!(a, "127.0.0.1" | "localhost"));
            let port = flag(&args, "port")
                .and_then(|p| p.parse().ok())
                .unwrap_or(5432);
            let mut ports = vec![Listen {
                port,
                loopback: addr_local("address"),
                http: Http::Tcp,
            }];
            if has_flag(&args, "quitquitquit") || has_flag(&args, "admin-port") {
                let ap = flag(&args, "admin-port")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(9091);
                ports.push(local(ap, Http::Paths(&["/quitquitquit"], 404)));
            }
            if has_flag(&args, "health-check") {
                let hp = flag(&args, "http-port")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(9090);
                ports.push(Listen {
                    port: hp,
                    loopback: addr_local("http-address"),
                    http: Http::Paths(&["/startup", "/liveness", "/readiness"], 404),
                });
            }
            ports
        }
        "oauth2-proxy" => vec![http(4180, Http::Paths(&["/ping", "/ready"], 403))],
        "http-echo" => {
            let port = flag(&args, "listen")
                .and_then(address)
                .map_or(5678, |(p, _)| p);
            vec![http(port, Http::Any(200))]
        }
        "echoserver" | "hello-app" => vec![http(8080, Http::Any(200))],
        "whoami" => vec![http(80, Http::Any(200))],
        "httpbin" if image.contains("go-httpbin") => vec![http(8080, Http::Httpbin)],
        "httpbin" | "go-httpbin" => vec![http(80, Http::Httpbin)],
        "tomcat" | "jetty" => vec![http(8080, Http::Paths(&[], 404))],
        "caddy" => vec![http(80, Http::Any(200)), local(2019, Http::Any(200))],
        "otel" | "opentelemetry-collector" | "opentelemetry-collector-contrib" => vec![
            tcp(4317),
            http(4318, Http::Paths(&[], 404)),
            http(13133, Http::Paths(&["/"], 404)),
        ],
        "nats" => vec![
            tcp(4222),
            http(8222, Http::Paths(&["/", "/healthz", "/varz"], 404)),
        ],
        "jaeger" | "all-in-one" => vec![http(16686, Http::Any(200)), http(14269, Http::Any(200))],
        "goproxy" => vec![http(8080, Http::Any(200))],
        "liveness" => vec![http(8080, Http::HealthyFor(Ms::from_s(10)))],
        "agnhost" => return Some(agnhost(&args)),
        "pause" => vec![],
        _ => return None,
    };
    Some(Listening::Ports(ports))
}

/// The endpoint that makes a sidecar exit when a request reaches it (how a Job's main container
/// tells its proxy it is done): cloud-sql-proxy's `/quitquitquit` on its admin port (with
/// `--quitquitquit`), linkerd's proxy's `/shutdown` on 4191 (when the shutdown endpoint is enabled),
/// istio's agent's `/quitquitquit` on 15020.
pub fn quit_endpoint(repo: &str, image: &str, c: &Container) -> Option<(u16, &'static str)> {
    let args = argv(c);
    match repo {
        "cloud-sql-proxy" if has_flag(&args, "quitquitquit") => Some((
            flag(&args, "admin-port")
                .and_then(|p| p.parse().ok())
                .unwrap_or(9091),
            "/quitquitquit",
        )),
        "linkerd-proxy" | "proxy"
            if image.contains("linkerd")
                && c.env.iter().any(|e| {
                    e.name == "LINKERD2_PROXY_SHUTDOWN_ENDPOINT_ENABLED"
                        && e.value == crate::spec::EnvValue::Literal("true".into())
                }) =>
        {
            Some((4191, "/shutdown"))
        }
        "proxyv2" | "istio-proxy" => Some((15020, "/quitquitquit")),
        _ => None,
    }
}

/// agnhost (the e2e test image the docs use) by subcommand.
fn agnhost(args: &[String]) -> Listening {
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-') && !a.ends_with("agnhost"))
        .map(String::as_str);
    let port = |name, default| {
        flag(args, name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(default)
    };
    Listening::Ports(match sub {
        Some("liveness") => vec![http(8080, Http::HealthyFor(Ms::from_s(10)))],
        Some("netexec") => vec![http(port("http-port", 8080), Http::Any(200))],
        Some("serve-hostname") => vec![http(port("port", 9376), Http::Any(200))],
        Some("test-webserver") => vec![http(port("port", 80), Http::Any(200))],
        Some("grpc-health-checking") => vec![
            http(port("port", 5000), Http::Tcp),
            http(port("http-port", 8080), Http::Any(200)),
        ],
        Some("pause") | None => vec![],
        Some(_) => return Listening::Any,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn container(command: &[&str], args: &[&str]) -> Container {
        let words = |w: &[&str]| (!w.is_empty()).then(|| w.iter().map(|s| s.to_string()).collect());
        let mut c = crate::check("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: busybox}\n")
            .workloads[0]
            .pod
            .containers[0]
            .clone();
        c.command = words(command);
        c.args = words(args);
        c
    }

    /// One row per (image, args, port, path, from the pod?, age): the status an HTTP GET gets.
    #[test]
    fn what_images_answer() {
        type Row<'a> = (&'a str, &'a [&'a str], u16, &'a str, bool, u64);
        let rows: &[Row] = &[
            ("nginx", &[], 80, "/", false, 0),
            ("nginx", &[], 80, "/healthz", false, 0),
            ("nginx", &[], 8080, "/", false, 0),
            ("httpd", &[], 80, "/index.html", false, 0),
            ("redis", &[], 6379, "/", false, 0),
            ("proxyv2", &[], 15021, "/healthz/ready", false, 0),
            ("proxyv2", &[], 15000, "/", false, 0),
            ("proxyv2", &[], 15000, "/", true, 0),
            ("linkerd-proxy", &[], 4191, "/ready", false, 0),
            (
                "cloud-sql-proxy",
                &["--health-check", "proj:reg:db"],
                9090,
                "/liveness",
                false,
                0,
            ),
            (
                "cloud-sql-proxy",
                &["--health-check", "proj:reg:db"],
                9090,
                "/liveness",
                true,
                0,
            ),
            (
                "cloud-sql-proxy",
                &["--health-check", "--http-address=0.0.0.0", "p:r:d"],
                9090,
                "/readiness",
                false,
                0,
            ),
            ("cloud-sql-proxy", &["p:r:d"], 9090, "/liveness", true, 0),
            ("agnhost", &["liveness"], 8080, "/healthz", false, 9),
            ("agnhost", &["liveness"], 8080, "/healthz", false, 10),
            (
                "agnhost",
                &["netexec", "--http-port=8081"],
                8081,
                "/echo",
                false,
                0,
            ),
            (
                "etcd",
                &["--listen-client-urls", "http://0.0.0.0:2379"],
                2379,
                "/health",
                false,
                0,
            ),
            ("etcd", &[], 2379, "/health", false, 0),
            ("httpbin", &[], 80, "/status/503", false, 0),
            ("unknown-app", &[], 1234, "/x", false, 0),
        ];
        let mut out = String::new();
        for &(repo, args, port, path, from_pod, age) in rows {
            let c = container(&[], args);
            let l = listening(repo, repo, &c).unwrap_or(Listening::Any);
            let answer = match l.find(port, from_pod) {
                None => "connection refused".to_string(),
                Some(h) => match h.status(path, Ms::from_s(age)) {
                    Some(code) => code.to_string(),
                    None => "not HTTP".to_string(),
                },
            };
            let who = if from_pod { "pod" } else { "kubelet" };
            out.push_str(&format!(
                "{repo} {} :{port}{path} {who} @{age}s → {answer}\n",
                args.join(" ")
            ));
        }
        expect![[r#"
            nginx  :80/ kubelet @0s → 200
            nginx  :80/healthz kubelet @0s → 404
            nginx  :8080/ kubelet @0s → connection refused
            httpd  :80/index.html kubelet @0s → 200
            redis  :6379/ kubelet @0s → not HTTP
            proxyv2  :15021/healthz/ready kubelet @0s → 200
            proxyv2  :15000/ kubelet @0s → connection refused
            proxyv2  :15000/ pod @0s → 200
            linkerd-proxy  :4191/ready kubelet @0s → 200
            cloud-sql-proxy --health-check proj:reg:db :9090/liveness kubelet @0s → connection refused
            cloud-sql-proxy --health-check proj:reg:db :9090/liveness pod @0s → 200
            cloud-sql-proxy --health-check --http-address=0.0.0.0 p:r:d :9090/readiness kubelet @0s → 200
            cloud-sql-proxy p:r:d :9090/liveness pod @0s → connection refused
            agnhost liveness :8080/healthz kubelet @9s → 200
            agnhost liveness :8080/healthz kubelet @10s → 500
            agnhost netexec --http-port=8081 :8081/echo kubelet @0s → 200
            etcd --listen-client-urls http://0.0.0.0:2379 :2379/health kubelet @0s → 200
            etcd  :2379/health kubelet @0s → connection refused
            httpbin  :80/status/503 kubelet @0s → 503
            unknown-app  :1234/x kubelet @0s → 200
        "#]].assert_eq(&out);
    }
}
