//! "How Podstep decides": the simulator's own conventions, shown in the app because they are product
//! decisions, not Kubernetes facts (a manifest says what a container runs, not how long it runs). The
//! same text, longer, is `docs/behavior.md`; keep the two in step.

use crate::markup::trusted_html;
use yew::prelude::*;

/// The panel's text, as markup: program text that never changes, placed as one node.
const BODY: &str = concat!(
    "<p>A manifest does not say how long a process runs, so for each container Podstep uses the first of:</p>",
    "<ol>",
    "<li>the pod annotation <code>behavior.podstep.dev/&lt;container&gt;</code>, for example ",
    "<code>exit=1@3; 3:run=forever; readiness=fail,ok@15</code> (exit codes and times, <code>term=ignore</code> or ",
    "<code>term=exit:0@2</code>, <code>oom=SECONDS</code>, probe results over time, hook results; <code>N:</code> ",
    "applies a clause from attempt N on);</li>",
    "<li>its <code>command</code>/<code>args</code>, read by a deterministic <code>sh</code>: variables and the ",
    "container's env, <code>$(…)</code>, loops, <code>case</code>, traps, background jobs, and programs such as ",
    "<code>sleep</code>, <code>tail -F</code>, file tools, <code>nslookup</code>, <code>wget</code>/<code>curl</code>/<code>nc</code> ",
    "against the pod's DNS and network, <code>stress</code> (OOM-killed above <code>limits.memory</code>); a command it ",
    "does not know is named in a note, and as the container's main program it gets rule 4;</li>",
    "<li>well-known images: busybox, alpine and other shells exit 0 at once; nginx, envoy, redis, postgres, ",
    "fluent-bit, istio and linkerd proxies, pause and other servers run until their stop signal, then exit 0, and ",
    "answer probes from Podstep's image table: the ports they listen on, on which address, and the status each path ",
    "gets (nginx: 200 on <code>/</code>, 404 elsewhere); postgres without <code>POSTGRES_PASSWORD</code> exits 1 at ",
    "once, and cloud-sql-proxy exits 143 on SIGTERM unless given <code>--exit-zero-on-sigterm</code>;</li>",
    "<li>otherwise: runs until SIGTERM, then exits 0, answering the ports it declares — in a batch pod ",
    "(<code>restartPolicy</code> Never or OnFailure) it exits 0 at once — with a note saying so and buttons that ",
    "write the annotation.</li>",
    "</ol>",
    "<ul>",
    "<li>The pod's world is the input's other objects: Services resolve by DNS name, ConfigMaps and Secrets fill ",
    "env and volumes (missing: CreateContainerConfigError or FailedMount), a missing claim leaves the pod ",
    "Unschedulable. The actions panel creates and deletes them during a run.</li>",
    "<li>The runtime stops a container with its image's stop signal (<code>STOPSIGNAL</code>): SIGTERM, but SIGQUIT for ",
    "nginx, SIGWINCH for httpd and SIGINT for postgres; a <code>trap</code> must name that signal.</li>",
    "<li>A shell running as PID 1 without a <code>trap</code> ignores SIGTERM, so it is SIGKILLed at the end of the ",
    "grace period (exit 137). With a trap it exits during <code>wait</code> at once, but only after a foreground ",
    "<code>sleep</code> ends. With <code>shareProcessNamespace: true</code> (or behind tini) the shell is not PID 1 ",
    "and SIGTERM ends it at once (143).</li>",
    "<li>Files under a <code>volumeMounts</code> path are shared by the containers that mount that volume and ",
    "survive restarts; other paths belong to one container instance. An exec probe <code>cat /tmp/healthy</code> ",
    "passes exactly while the file exists.</li>",
    "<li>An image on a reserved host (<code>localhost</code>, or ending in <code>.invalid</code>, <code>.example</code>, ",
    "<code>.test</code>, <code>.localhost</code>), or whose name says it does not exist, can never be pulled: ",
    "ErrImagePull, then ImagePullBackOff, forever — it never fails the pod. A malformed reference gives InvalidImageName.</li>",
    "<li>Timing: the kubelet sees container changes about 1 s later (its relist); sandbox creation and each image ",
    "pull take 1 s; a sync that comes due while the kubelet is busy runs a relist after; a start refused by ",
    "CrashLoopBackOff is retried 10 s later (1.35+: at the back-off's end), without the kubelet's random jitter. ",
    "The simulated kubelet is v1.33 by default.</li>",
    "<li>The version picker also sets what the API server accepts, by each version's feature gates: in 1.28 ",
    "<code>SidecarContainers</code> is off, so a sidecar's <code>restartPolicy</code> is dropped and it blocks ",
    "initialization; the <code>sleep</code> hook needs 1.30 (a zero sleep 1.33); a regular container's ",
    "<code>restartPolicy</code> and <code>restartPolicyRules</code> need 1.35 (<code>ContainerRestartRules</code>). ",
    "Alpha gates are off until you switch them on below: <code>lifecycle.stopSignal</code> (1.33+), the ",
    "<code>RestartAllContainers</code> rule action (1.35), image volumes (1.31+, on from 1.35). With ",
    "<code>KubeletCrashLoopBackOffMax</code> on (1.35) the kubelet's <code>maxContainerRestartPeriod</code> can be set ",
    "too; docs/versions.md says where each fact was read.</li>",
    "<li>Field validation is strict, as <code>kubectl apply</code>'s is by default since 1.27: an unknown field is an ",
    "error (with a did-you-mean). The CLI's <code>--validate=warn</code> makes it a warning.</li>",
    "</ul>",
);

/// The lifecycle feature gates by version, drawn from the engine's own table (so it cannot disagree
/// with what the checks and the simulation do).
fn gates_table() -> Html {
    use lifecycle::features::GATES;
    let minors = lifecycle::sim::Version::MINORS;
    html! {
        <div class="gates-scroll">
        <table class="gates-table">
            <caption>{ "Feature gates by Kubernetes version (what the version picker changes)" }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "gate" }</th>
                    { for minors.clone().map(|m| html! { <th scope="col">{ format!("1.{m}") }</th> }) }
                </tr>
            </thead>
            <tbody>
                { for GATES.iter().map(|(gate, name, _)| html! {
                    <tr>
                        <th scope="row"><code>{ *name }</code></th>
                        { for minors.clone().map(|m| {
                            let cell = match gate.spec(m) {
                                None => "—".to_string(),
                                Some((on, stage)) => format!("{} {}", if on { "on" } else { "off" }, stage.as_str()),
                            };
                            html! { <td>{ cell }</td> }
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
        </div>
    }
}

#[component]
pub fn Conventions() -> Html {
    html! {
        <section class="conventions" aria-labelledby="conventions-title">
            <details>
                <summary>
                    <h2 id="conventions-title" class="pane-title">{ "How Podstep decides what containers do" }</h2>
                </summary>
                { trusted_html(BODY) }
                { gates_table() }
            </details>
        </section>
    }
}
