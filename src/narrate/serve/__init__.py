"""`narrate serve`: the officers' and the finance bureau's web page, and an HTTP API, on a database.

Nothing here computes a figure or chooses a word of a document: every page and API call runs the
functions the command line runs (jobs.py), in worker processes. The modules, each owning one thing:

  settings.py    where the data folder and the database are, limits, the demo
  db.py          the tables (SQLAlchemy): bureaus, units, users, sessions, versions
  migrate.py     the schema's history (Alembic, migrations/ shipped inside the package)
  auth.py        password hashing (argon2), sessions in the database, CSRF, API tokens
  accounts.py    creating bureaus, units and users; the demo accounts and their sample
  storage.py     every upload and every generated document as a file plus a row (a version)
  uploads.py     what an upload may be: its kind by suffix and signature, its size
  jobs.py        the engine's calls (check, build, preview, update, template) in worker processes
  states.py      a unit's state (figures in, checks passed, built, updated, published)
  batches.py     the bureau's batch builds and their progress
  deps.py        what a request brings: its database session, its user, the rights check
  errors.py      refusals: a message key, shown in Chinese as a page or JSON, never a traceback
  pages.py       the server-rendered pages (templates/, jinja2)
  api.py         the HTTP API (/api/check, /api/build, /api/update, /healthz)
  app.py         the application factory and the server
"""
