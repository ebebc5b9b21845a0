"""Read pip-audit's JSON report: fail on any known vulnerability, list what could not be
checked (offline machines reach PyPI's files but not the vulnerability databases)."""

import json
import sys

with open(sys.argv[1]) as file:
    report = json.load(file)
vulnerable, unchecked = [], []
for dep in report.get("dependencies", []):
    if dep.get("skip_reason"):
        unchecked.append(dep["name"])
    for vuln in dep.get("vulns", []):
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        vulnerable.append(f"{dep['name']} {dep.get('version')}: {vuln['id']} (fixed in {fixes})")
checked = len(report.get("dependencies", [])) - len(unchecked)
print(f"pip-audit: {checked} dependencies checked, {len(vulnerable)} known vulnerabilities, "
      f"{len(unchecked)} could not be checked")
if unchecked:
    print("  not checked (vulnerability database unreachable?): " + ", ".join(unchecked[:12])
          + (" ..." if len(unchecked) > 12 else ""))
for line in vulnerable:
    print("  VULNERABLE " + line)
sys.exit(1 if vulnerable else 0)
