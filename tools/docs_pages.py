"""Write the generated pages of the documentation site (run by mkdocs-gen-files).

The pages come from ``corridor.docs_gen``: the bibliography, the bundled data, the CLI
reference and the API reference stubs. They are never committed.
"""

from __future__ import annotations

import mkdocs_gen_files

from corridor.docs_gen import generated_pages

for path, text in generated_pages().items():
    with mkdocs_gen_files.open(path, "w") as handle:
        handle.write(text)
