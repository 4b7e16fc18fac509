"""Run by Debian's python3 (which has LibreOffice's uno module, package python3-uno), not by the
test interpreter: opens a .docx in LibreOffice, updates every index as Tools > Update > Update
All does, and prints the table of contents' lines as JSON (before and after the update).

    /usr/bin/python3 tests/lo_toc.py DOC.docx PROFILE_DIR
"""

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # noqa: I001  (Debian's python3-uno)
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(docx: str, profile: str) -> None:
    pipe = f"narrate_{uuid.uuid4().hex}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                               f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(Path(docx).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        indexes = doc.getDocumentIndexes()
        out = {"before": [], "after": []}
        tocs = [indexes.getByIndex(i) for i in range(indexes.getCount())]
        tocs = [t for t in tocs if t.supportsService("com.sun.star.text.ContentIndex")]
        for t in tocs:
            out["before"] += t.getAnchor().getString().splitlines()
        for t in tocs:
            t.update()
        for t in tocs:
            out["after"] += t.getAnchor().getString().splitlines()
        doc.close(True)
        print(json.dumps(out, ensure_ascii=False))
    finally:
        office.terminate()
        office.wait(30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
