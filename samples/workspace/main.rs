fn gcd(a: u64, b: u64) -> u64 {
    
}

fn main() {
    println!("{}", gcd(48, 18));
}
