//! The gallery: worked examples that teach how the kubelet runs a pod, one manifest each.
//!
//! Every example is a file `web/gallery/NN-id.yaml` (NN orders them) that opens with `# ` header lines:
//! `# title: …`, `# explanation: …` (several lines are joined with spaces), optional `# at: SECONDS ACTION`
//! lines (actions spelled as `podstep run --at` takes them). The manifest text below is the whole file,
//! header included; the title, explanation and actions are repeated here as literals so that the playground
//! pays nothing to read them, and `crates/lifecycle/tests/gallery.rs` checks that they match the headers,
//! simulates every example and asserts the lesson it claims. Pure Rust: no web crates.
//!
//! There is no horizon field: every example runs to the default horizon (600 s), as the tests do, so no
//! header carries `# until:`.

/// One worked example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name without `NN-` and `.yaml`: stable, usable in URLs.
    pub id: &'static str,
    pub title: &'static str,
    /// Two to four sentences a workshop teacher would say: what to watch for, in the spec's words.
    pub explanation: &'static str,
    /// The file as it is, header comments included (the header is valid YAML comments).
    pub manifest: &'static str,
    /// Timed scenario actions: (milliseconds after scheduling, the action as the CLI spells it).
    pub actions: &'static [(u64, &'static str)],
}

/// Every example, in gallery order.
pub static EXAMPLES: &[Example] = &[
    Example {
        id: "init-chain",
        title: "An init chain",
        explanation: "Init containers run one at a time, in list order, and each must exit 0 before the next one \
            starts; only then do the app containers start. Watch STATUS count Init:0/3, Init:1/3, Init:2/3, \
            then PodInitializing while the app is created, then Running. Each step waits for the kubelet's \
            next sync (about 1 s after the previous container exits), never the same instant.",
        manifest: include_str!("../gallery/01-init-chain.yaml"),
        actions: &[],
    },
    Example {
        id: "logging-sidecar",
        title: "A logging sidecar in a Deployment",
        explanation: "The log shipper is a native sidecar: an init container with restartPolicy: Always. It starts \
            before the app, keeps running beside it for the pod's whole life, and its status lives in \
            initContainerStatuses. nginx writes its logs into an emptyDir that the shipper mounts too, and \
            READY counts the sidecar as well: 2/2 once both are ready. The Deployment's pod gets a generated \
            name, as its ReplicaSet would give it.",
        manifest: include_str!("../gallery/02-logging-sidecar.yaml"),
        actions: &[],
    },
    Example {
        id: "job-classic-sidecar",
        title: "A Job with a classic sidecar that never completes",
        explanation: "Here the proxy is just a second entry in containers[], the pre-1.28 way to run a sidecar. The \
            worker finishes its batch and exits 0 (Completed), but the proxy has no reason to stop, so the \
            pod stays Running (READY 1/2, STATUS NotReady) and the Job never completes. Compare the next \
            example, where the same proxy is a native sidecar.",
        manifest: include_str!("../gallery/03-job-classic-sidecar.yaml"),
        actions: &[],
    },
    Example {
        id: "job-native-sidecar",
        title: "The same Job with a native sidecar that completes",
        explanation: "Now the proxy is an init container with restartPolicy: Always: a native sidecar. It starts \
            before the worker, and once the worker has exited 0 and will not be restarted the kubelet stops \
            the sidecar itself (Killing, SIGTERM) and the pod ends Succeeded, STATUS Completed. A sidecar's \
            exit code never decides the pod's phase; only regular containers do.",
        manifest: include_str!("../gallery/04-job-native-sidecar.yaml"),
        actions: &[],
    },
    Example {
        id: "sidecar-startup-probe",
        title: "A sidecar gated by its startup probe",
        explanation: "A sidecar counts as started only when its startupProbe succeeds, and nothing after it starts \
            before that: the pod sits at Init:0/1 while the probe fails. Here the mesh proxy needs about 12 \
            s to load its configuration, so the app starts only after StartupSucceeded. Its readiness probe \
            is still failing at that moment (READY 0/2): readiness and liveness never gate the next \
            container, only the startup probe does.",
        manifest: include_str!("../gallery/05-sidecar-startup-probe.yaml"),
        actions: &[],
    },
    Example {
        id: "init-crash-loop",
        title: "A crash-looping init container",
        explanation: "The migration exits 1 every time, and a failed regular init container is retried with the \
            CrashLoopBackOff delay: the first restart is immediate, then the waits grow 10 s, 20 s, 40 s \
            (doubling up to 5 min), and in between STATUS shows Init:Error and Init:CrashLoopBackOff with \
            RESTARTS growing. The app never starts and the pod stays Pending; with restartPolicy: Never the \
            first failure would fail the whole pod instead.",
        manifest: include_str!("../gallery/06-init-crash-loop.yaml"),
        actions: &[],
    },
    Example {
        id: "liveness-restart",
        title: "A liveness restart",
        explanation: "This is the liveness example from the Kubernetes docs: the container creates /tmp/healthy, \
            removes it after 30 s, and the probe runs cat /tmp/healthy every 5 s. After three failures in a \
            row the kubelet kills it (\"Container liveness failed liveness probe, will be restarted\"); the \
            shell is PID 1 with no trap, so SIGTERM does nothing and it is SIGKILLed at the end of the 30 s \
            grace period (137). The new container gets a fresh /tmp/healthy, so the cycle repeats and \
            RESTARTS climbs. The kubelet restarts it in the same sync as its own kill, and its back-off \
            check reads the status from before the kill: so the restarts are immediate until the back-off \
            (10, 20, 40, 80 s) outgrows the container's 70 s life, and only then CrashLoopBackOff.",
        manifest: include_str!("../gallery/07-liveness-restart.yaml"),
        actions: &[],
    },
    Example {
        id: "pid1-sigterm",
        title: "PID 1 ignores SIGTERM unless it traps it",
        explanation: "Both containers run a shell as PID 1. On delete the kubelet sends SIGTERM to both: the trapped \
            shell runs its handler and exits 0 at once, but the plain one has no handler, and PID 1 without \
            a handler ignores SIGTERM, so it keeps running until SIGKILL at the end of the 10 s grace \
            period: exit 137, reason Error. That is why scripts use trap plus \"sleep N & wait\".",
        manifest: include_str!("../gallery/08-pid1-sigterm.yaml"),
        actions: &[(20000, "delete")],
    },
    Example {
        id: "delete-prestop-sidecars",
        title: "Deletion with preStop hooks and reverse sidecar shutdown",
        explanation: "On delete every container's preStop hook starts at the same moment, sidecars included. The app \
            drains for 5 s in its preStop, gets SIGQUIT (nginx's image stops with SIGQUIT, not SIGTERM) and \
            exits; only then is the last-started sidecar \
            (proxy) sent SIGTERM, and after it has exited the first one (log-shipper): app containers first, \
            then sidecars in reverse order, all inside the 30 s grace period. The behavior annotations give \
            each sidecar a few seconds to drain after SIGTERM, so the order is easy to see.",
        manifest: include_str!("../gallery/09-delete-prestop-sidecars.yaml"),
        actions: &[(30000, "delete")],
    },
    Example {
        id: "proxy-before-app",
        title: "A database proxy that must be up before anything uses it",
        explanation: "The migration and the app both reach the database through cloud-sql-proxy, so the proxy is \
            declared first, as a native sidecar with a startupProbe on its port. The migration starts only \
            once the proxy has started (Init:1/2 with READY 1/2: a started sidecar already counts), runs \
            beside it and exits 0; the app then starts with the same proxy still running. As a classic \
            container the proxy would race the app, and the app's first queries would fail.",
        manifest: include_str!("../gallery/10-proxy-before-app.yaml"),
        actions: &[],
    },
    Example {
        id: "effective-requests",
        title: "Effective resource requests with sidecars",
        explanation: "The scheduler reserves the larger of two peaks: the steady state (every app container plus every \
            sidecar, 2000m / 1664Mi here) and the busiest init step, where each init container runs beside \
            the sidecars declared before it (init-b with log: 2700m / 640Mi; init-a alone: 2048Mi). So the \
            pod needs 2700m CPU and 2Gi of memory; a sidecar-unaware sum would say 2500m and undercount. \
            This is the worked example of the spec's section 12.",
        manifest: include_str!("../gallery/11-effective-requests.yaml"),
        actions: &[],
    },
    Example {
        id: "mistakes",
        title: "A manifest full of mistakes",
        explanation: "Nothing here can run: the API server would reject this pod, and each message sits on the line \
            that causes it. Read them as lessons: an init container accepts only restartPolicy: Always \
            (which makes it a sidecar) and only sidecars may have probes and hooks; app containers take no \
            restartPolicy of their own; liveness and startup probes need successThreshold 1, readiness \
            probes take no grace period, and every probe needs a handler; a preStop sleep must fit in the \
            grace period; names are unique across init and app containers. The misspelt comand is flagged \
            too, with a did-you-mean.",
        manifest: include_str!("../gallery/12-mistakes.yaml"),
        actions: &[],
    },
    Example {
        id: "image-pull-backoff",
        title: "An image that can never be pulled",
        explanation: "The registry host ends in .invalid, a name reserved never to resolve, so every pull fails: \
            ErrImagePull, then ImagePullBackOff with the image back-off (10 s, 20 s, 40 s … up to 5 min). \
            The pod stays Pending with STATUS ImagePullBackOff forever: a pull failure never fails a pod, \
            not even with restartPolicy: Never. Only fixing the image (kubectl set image) gets it going.",
        manifest: include_str!("../gallery/13-image-pull-backoff.yaml"),
        actions: &[],
    },
    Example {
        id: "readiness-flap",
        title: "Readiness flaps, and keeps running during termination",
        explanation: "The app is ready only while /tmp/ready exists. When the file goes away, two failed readiness \
            probes in a row (failureThreshold: 2) make it NotReady: READY 0/1, Ready=False, but no restart, \
            because readiness never kills anything. When the file is back one success makes it Ready again. \
            On delete the preStop hook removes the file to drain traffic, and the readiness probe, which \
            keeps running during termination (liveness does not), turns the pod NotReady before SIGTERM.",
        manifest: include_str!("../gallery/14-readiness-flap.yaml"),
        actions: &[(70000, "delete")],
    },
    Example {
        id: "cronjob-onfailure",
        title: "A CronJob whose backup retries in place",
        explanation: "Each run of this CronJob creates a Job, and the Job a pod with restartPolicy: OnFailure. The \
            first attempt exits 1, so the kubelet restarts the same container in the same pod (the first \
            restart is immediate, RESTARTS 1); the second attempt exits 0 and, since OnFailure never \
            restarts a success, the pod ends Succeeded with STATUS Completed.",
        manifest: include_str!("../gallery/15-cronjob-onfailure.yaml"),
        actions: &[],
    },
    Example {
        id: "shared-emptydir",
        title: "A file in a shared emptyDir gates readiness",
        explanation: "The config-loader sidecar fetches configuration and writes /config/ready into an emptyDir; the \
            app mounts the same volume at /etc/app and its readiness probe is cat /etc/app/ready. Both run \
            at once (the sidecar has no startup probe, so it counts as started as soon as it runs), but the \
            app stays READY 1/2 until the file appears about 10 s later. A file in a container's own layer, \
            outside the volume, would never be seen by the other container.",
        manifest: include_str!("../gallery/16-shared-emptydir.yaml"),
        actions: &[],
    },
];

/// The example with this id, if any (ids are stable: links may name them).
pub fn by_id(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
