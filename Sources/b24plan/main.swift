print("b24plan")
