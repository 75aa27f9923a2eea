namespace influence::scoring {}
