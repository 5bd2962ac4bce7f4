"""Members: the shop's customers, their encrypted profile and channel consent."""
