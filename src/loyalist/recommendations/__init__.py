"""Product recommendations: "bought this, also bought", personal picks and favourites."""
