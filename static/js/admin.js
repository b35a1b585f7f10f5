/* Behaviour Flask-Admin wires with inline handlers, which our CSP forbids
   (no 'unsafe-inline', no 'unsafe-hashes'): bulk actions ("With selected")
   and the filter menu's links. (Deleting asks on a page of its own,
   app/admin/deleting.py, so it needs no script.) Our copies of the
   macros admin/actions.html `dropdown` and admin/model/layout.html
   `filter_options` carry data attributes instead of the handlers. */

document.addEventListener('click', function (event) {
  if (event.target.closest('a.filter')) {
    event.preventDefault();
    return;
  }
  var action = event.target.closest('[data-admin-action]');
  if (action) {
    event.preventDefault();
    window.modelActions.execute(action.getAttribute('data-admin-action'));
  }
});
