function fibonacci(n) {
  if (n < 2) return n;
  
}

console.log([...Array(10).keys()].map(fibonacci));
