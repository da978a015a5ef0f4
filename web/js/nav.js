// Moving between views without the views importing the app: the app registers its router here.

let router = () => {};

export function setRouter(callback) {
  router = callback;
}

// Opens the view of a fragment ("#/tickets/RD-000123"); the same one again redraws it.
export function go(hash) {
  if (location.hash === hash) router();
  else location.hash = hash;
}

// Focus goes to the new view's heading, so a keyboard or screen reader user starts there.
export function focusHeading(container) {
  const heading = container.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({preventScroll: true});
  }
}
