"""The member portal: a member's own pages (mobile first, English and Russian), the public
"how the program works" page and the storefront widget."""
