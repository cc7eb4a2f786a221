export interface Item {
  name: string;
  price: number;
  quantity: number;
}

export class Cart {
  private items: Item[] = [];

  add(item: Item): void {
    this.items.push(item);
  }

  total(): number {
    
  }
}

const cart = new Cart();
cart.add({ name: 'apple', price: 0.5, quantity: 6 });
console.log(cart.total());
