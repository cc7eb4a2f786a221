import math
from dataclasses import dataclass


@dataclass
class Circle:
    radius: float

    def area(self) -> float:
        return math.pi * self.radius ** 2


@dataclass
class Rectangle:
    width: float
    height: float

    def area(self) -> float:
        


def total_area(shapes) -> float:
    return sum(s.area() for s in shapes)


if __name__ == "__main__":
    print(total_area([Circle(1.0), Rectangle(2.0, 3.0)]))
