// The page's one Trusted Types policy, "podstep-markup": the only way a string becomes HTML on this page.
// The Content-Security-Policy requires Trusted Types for every HTML sink and allows no other policy
// name (index.html), so an innerHTML anywhere else (in Podstep, Yew or a dependency) is refused by the
// browser. What reaches it is written by web/src/markup.rs, which escapes every piece of text it
// writes; the policy passes it through (it is the one audited place, not a sanitizer). The policy object
// stays in this module: nothing else can create TrustedHTML with it.

const policy =
  globalThis.trustedTypes && globalThis.trustedTypes.createPolicy
    ? globalThis.trustedTypes.createPolicy('podstep-markup', { createHTML: (markup) => markup })
    : null;

// Replaces the children of `element` with `markup`, parsed in the element's own namespace (an SVG
// <g> gets SVG children).
export function placeMarkup(element, markup) {
  element.innerHTML = policy ? policy.createHTML(markup) : markup;
}
