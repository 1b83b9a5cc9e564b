//! The playground's entry point: mounts the app on the page's `<body>`. Nothing else belongs here.

fn main() {
    yew::Renderer::<web::components::App>::new().render();
}
