from materia.cli import main

main()
