/** One small, realistic, syntactically valid sample per shipped grammar (VS Code language id → source). */
export const SAMPLES: Record<string, string> = {
  python: `import os
from typing import List


class Greeter:
    """Says hello."""

    def __init__(self, name: str) -> None:
        self.name = name

    def greet(self, times: int = 1) -> List[str]:
        return [f"hello {self.name} ü" for _ in range(times)]


def main():
    g = Greeter(os.environ.get("USER", "you"))
    print(g.greet(2))
`,
  javascript: `import { readFile } from 'node:fs/promises';

export async function load(path) {
  const text = await readFile(path, 'utf8');
  return text.split('\\n').map((l, i) => ({ line: i + 1, text: l }));
}

class Cache {
  #items = new Map();
  get(k) { return this.#items.get(k); }
}
`,
  javascriptreact: `import React from 'react';

export function List({ items }) {
  return (
    <ul className="list">
      {items.map((it) => <li key={it.id}>{it.label}</li>)}
    </ul>
  );
}
`,
  typescript: `import type { Foo } from './foo';

export interface Point { x: number; y: number }

export class Vec implements Point {
  constructor(public x: number, public y: number) {}
  add(o: Point): Vec {
    return new Vec(this.x + o.x, this.y + o.y);
  }
}

export function len<T extends Point>(p: T): number {
  return Math.hypot(p.x, p.y);
}
`,
  typescriptreact: `import * as React from 'react';

type Props = { title: string; onClick?: () => void };

export const Button: React.FC<Props> = ({ title, onClick }) => (
  <button onClick={onClick}>{title}</button>
);
`,
  go: `package main

import (
	"fmt"
	"strings"
)

type Server struct {
	Name string
	Port int
}

func (s *Server) Addr() string {
	return fmt.Sprintf("%s:%d", strings.ToLower(s.Name), s.Port)
}

func main() {
	s := &Server{Name: "Local", Port: 8080}
	fmt.Println(s.Addr())
}
`,
  rust: `use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Counter {
    counts: HashMap<String, usize>,
}

impl Counter {
    pub fn new() -> Self {
        Self { counts: HashMap::new() }
    }

    pub fn add(&mut self, word: &str) {
        *self.counts.entry(word.to_string()).or_insert(0) += 1;
    }
}
`,
  java: `package com.example;

import java.util.ArrayList;
import java.util.List;

public class Stack<T> {
    private final List<T> items = new ArrayList<>();

    public void push(T item) {
        items.add(item);
    }

    public T pop() {
        return items.remove(items.size() - 1);
    }
}
`,
  c: `#include <stdio.h>
#include <stdlib.h>

typedef struct node {
    int value;
    struct node *next;
} node_t;

static node_t *push(node_t *head, int value) {
    node_t *n = malloc(sizeof *n);
    n->value = value;
    n->next = head;
    return n;
}

int main(void) {
    node_t *list = push(NULL, 1);
    printf("%d\\n", list->value);
    return 0;
}
`,
  cpp: `#include <vector>
#include <string>

namespace app {

template <typename T>
class Buffer {
 public:
  explicit Buffer(std::size_t n) : data_(n) {}
  T& operator[](std::size_t i) { return data_[i]; }
  std::size_t size() const { return data_.size(); }

 private:
  std::vector<T> data_;
};

}  // namespace app

int main() {
  app::Buffer<std::string> b(3);
  b[0] = "x";
  return static_cast<int>(b.size());
}
`,
  csharp: `using System;
using System.Collections.Generic;

namespace Demo
{
    public record Person(string Name, int Age);

    public class Registry
    {
        private readonly Dictionary<string, Person> _people = new();

        public void Add(Person p) => _people[p.Name] = p;

        public Person? Find(string name)
        {
            return _people.TryGetValue(name, out var p) ? p : null;
        }
    }
}
`,
  ruby: `require 'json'

module Shop
  class Cart
    attr_reader :items

    def initialize
      @items = []
    end

    def add(item, qty: 1)
      @items << { item: item, qty: qty }
      self
    end

    def total
      @items.sum { |i| i[:item].price * i[:qty] }
    end
  end
end
`,
  php: `<?php

namespace App\\Models;

use Illuminate\\Support\\Str;

class User
{
    private string $name;

    public function __construct(string $name)
    {
        $this->name = $name;
    }

    public function slug(): string
    {
        return Str::slug($this->name);
    }
}
`,
  shellscript: `#!/usr/bin/env bash
set -euo pipefail

log() {
  printf '%s %s\\n' "$(date +%T)" "$*" >&2
}

for f in "$@"; do
  if [[ -f "$f" ]]; then
    log "processing $f"
    wc -l < "$f"
  else
    log "missing: $f"
  fi
done
`,
};
