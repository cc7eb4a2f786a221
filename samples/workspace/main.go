package main

import "fmt"

func reverse(s string) string {
	runes := []rune(s)
	
	return string(runes)
}

func main() {
	fmt.Println(reverse("tessera"))
}
