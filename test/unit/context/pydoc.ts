/** A long Python file: imports, a constant, 40 helpers, a class with fields and 25 methods, the cursor (█) in `save`, 30 more helpers. */
export function filler(n: number, indent = ''): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `${indent}def helper_${i}(values, limit=${i}):\n`;
    out += `${indent}    total = 0\n`;
    for (let j = 0; j < 6; j++) out += `${indent}    total += sum(v * ${j} for v in values if v > limit)\n`;
    out += `${indent}    return total\n\n\n`;
  }
  return out;
}

export const PYDOC = `import os
import json
from collections import OrderedDict
from typing import Dict, List, Optional

RETRY_LIMIT = 5

${filler(40)}
class InventoryStore:
    """Keeps items in memory."""

    def __init__(self, path: str, capacity: int) -> None:
        self.path = path
        self.capacity = capacity
        self.items: Dict[str, int] = OrderedDict()

${filler(25, '    ')
  .replace(/def helper_/g, 'def method_')
  .replace(/\(values/g, '(self, values')}
    def save(self, name: str, count: int) -> Optional[str]:
        if len(self.items) >= self.capacity:
            return None
        for attempt in range(RETRY_LIMIT):
            self.items[name] = count
            with open(os.path.join(self.path, name), "w") as f:
                json.dump(█
        return name

${filler(30)}
`;
