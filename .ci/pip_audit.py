"""pip-audit for CI, reported honestly (docs/security.md, decision 0063).

pip-audit asks a vulnerability service (PyPI's JSON API, or OSV) about every installed
package. Where that service cannot be reached, pip-audit skips each package ("could not be
audited") and still prints "No known vulnerabilities found": a silent pass. This wrapper
counts what was actually audited and says so:

- any known vulnerability: exit 1;
- every package audited and none vulnerable: exit 0;
- some or all packages skipped because the service is unreachable: a loud NOT AUDITED
  report; exit 1 if EHC_REQUIRE_PIP_AUDIT=1 (set it where the service is reachable), else 0.
"""

import json
import os

# subprocess runs pip-audit from this venv: no shell, a fixed argument list.
import subprocess  # nosec B404
import sys

PROJECT = "ehc-workflow"


def main() -> int:
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        print("pip-audit: NOT AUDITED (pip-audit itself failed; see above).", file=sys.stderr)
        return 1 if os.environ.get("EHC_REQUIRE_PIP_AUDIT") == "1" else 0
    dependencies = [d for d in report["dependencies"] if d["name"] != PROJECT]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            print(
                f"pip-audit: {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {', '.join(vuln.get('fix_versions') or ['no release yet'])})"
            )
    print(
        f"pip-audit: {audited} of {len(dependencies)} packages audited, "
        f"{len(vulnerable)} with known vulnerabilities."
    )
    if vulnerable:
        return 1
    if skipped:
        print(
            "pip-audit: NOT AUDITED: the vulnerability service could not be reached for "
            f"{len(skipped)} packages (e.g. {skipped[0]['name']}: {skipped[0]['skip_reason']}). "
            "This is not a pass. Run `make audit` where PyPI's JSON API or OSV is reachable.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("EHC_REQUIRE_PIP_AUDIT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
