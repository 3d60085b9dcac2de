"""Common given names from many cultures, for names spaCy's small model misses ("Why is Alena so quiet?").

Data only, written for this project (no download). Names that are also everyday English words, places,
products or assistants ("Will", "Grace", "Paris", "Julia", "Claude") are left out on purpose: a name
list is only worth having if a match is almost always a person.
"""
from __future__ import annotations

_NAMES = """
aaron abby abdul abdullah abel abigail abraham adam adele adeline adrian adriana adrienne agata agatha agnes
agnieszka ahmad ahmed aida aidan aiden aileen aimee aino aisha aishwarya akira akos alain alan alana albert
alberto albrecht alejandra alejandro aleksander aleksandra aleksei alena alessandra alessandro alessia alex
alexander alexandra alexandre alexei alexis alfie alfonso alfred alfredo ali alice alicia alina alisha alison
alistair allan allison alma alonso alvaro amanda amara amelia amelie amina amir amit amna amos amy ana anastasia
anders andre andrea andreas andrei andres andrew andrey andy aneta angela angelica angelika angelo anika anita
anja anna annabel annabelle anne anneliese annette annie anouk anthony anton antonia antonio anya arjun arnav
arne arnold arturo arvid asha ashley ashok astrid aubrey audrey augusta aurelia aurora ava avery axel
ayaan ayesha aylin ayumi baptiste barbara barry bartosz basil beata beatrice beatriz beatrix becky belinda
ben benedict benjamin benoit bernadette bernard bernd bertrand beth bethany betty beverly bianca birgit bjorn
blake bogdan boris brad bradley brandi brandon brenda brendan brett brian brianna bridget brigitte britney
brittany brooke bruce bruno bryan bryce caitlin caleb camila camille candice cara carina carl carla carlo
carlos carmen carol carole caroline carolyn carsten casey cassandra catalina caterina catherine cathy cecilia
cecile cedric celia celine cesar chantal charlene charles charlie chen cheryl chiara chidi
chioma chloe chris christa christiane christina christine christoph christophe christopher cindy
claire clara clarisse claudia claudio clemens clement clotilde colin colleen colton connor constance
constantin corey corinne cornelia courtney craig cristian cristina curtis cynthia dagmar daisuke damian damien
damon dan dana daniel daniela daniele danielle danny daria dariusz darius darren darya dave david davide dawid
debbie deborah deepak deepika denis denise dennis derek desiree devin dexter diana diane diego dieter dimitri
dimitris dina dinesh dirk dmitri dmitry dolores dominic dominik dominika dominique donald donna doris dorota
dorothy douglas duncan dustin dylan eamon eddie edgar edith edmund eduard eduardo edward edwin eileen elaine
elena eleanor eli elias elif elijah elin elisa elisabeth elise eliza elizabeth ella ellen ellie elliot elsa
emanuel emil emilia emilie emilio emily emma emre enrico enrique eric erica erik erika erin ernesto ernst esra
esteban estelle esther ethan eugene eugenia eva evan evelyn ewa fabian fabio fabrice farah fatima fatma federico
felipe felix ferdinand fernanda fernando filip filipa finn fiona florian francesca francesco francis francisco
franco francois franz freddie freddy frederic frederick frederik frida friedrich gabriel gabriela gabriele
gabrielle gareth gary gavin gemma genevieve geoffrey georg george georgios gerald gerard gerhard gianluca
gianni gillian gina giorgio giovanni giulia giulio giuseppe gisele giselle gloria gonzalo gordon graham greg
gregor gregory greta gretchen guadalupe gudrun guillaume guillermo gunnar gustav gustavo hailey haley hamza
hana hannah hannes hans harald harold harper harriet harrison harry harvey hassan heather hector heidi heike
heinrich helen helena helene helga hendrik henri henrik henry herbert hermann hilda hiroshi hiroko holger
howard hugh hyun ian ibrahim ida ignacio igor ilse ilya imran indira ines inga inge ingrid irene irina
isaac isabel isabella isabelle isak ismail ivan ivana jacek jacob jacqueline jacques jaime jakob jakub jamal
james jamie jana jane janet janice janina janine jared jarek jasmin jason javier jay jayden jean jeanette
jeanne jeff jeffrey jelena jennifer jenny jens jeremy jerome jerry jesper jessica jill jim jimmy jiri
joanna joao joaquin jocelyn jodie joe joel johan johann johanna johannes john johnny jon jonas jonathan jorge
jose josef josefine joseph josephine josh joshua josie juan juana judith judy jules julian juliana julie
juliette julio julius jurgen justin justine kai kaitlyn kamal kamil karen karim karin karina karl karla
karolina kasia katarina katarzyna kate katerina katharina katherine kathleen kathryn kathy katie katja katrin
katrina kayla kaylee keiko keith kelly ken kendra kenji kenneth kerry kevin khalid kim kimberly kirsten
klaus kofi konrad kris krisztina kristen kristian kristin kristina kristy krzysztof kumar kurt kyle laila lara
larissa larry lars latoya laura lauren laurent lea leah leandro lena leo leon leonardo leonie leslie liam
lidia liliana lina linda lindsay lindsey lisa liz liza lorena lorenzo loretta lorraine louis louisa louise
luca lucas lucia luciana lucy luis luisa luka lukas luke lydia lynn madeleine magda magdalena magnus maja
malik malcolm manon manuel manuela marc marcel marcela marcelo marco marcus margaret margarita margot maria
mariana marianne marie marija marilyn marina mario marion marisa marissa marius marjorie marko marlene marta
martha martin martina marvin mary maryam mateo mathias mathieu matilda matt matteo matthew matthias maura
maureen maurice mauricio maximilian megan mehmet melanie melinda melissa melvin meredith mia
michael michaela michal michel michele michelle miguel mika mikael mike mikhail mila milena miriam
mohamed mohammad mohammed monica monika morgan moritz muhammad murat nadia nadine naomi nasser natalia natalie
natasha nathalie nathan nathaniel neha neil nelson nicholas nick nicola nicolas nicole niels nikhil niklas
nikola nikolai nikolaos nina noah noemi nora norbert oksana olaf olga oliver olivia omar oscar otto pablo
paige pamela paola paolo patricia patrick paul paula pauline pavel pawel pedro peggy petr petra
philip philippe pierre pietro piotr pooja priya priyanka rachel rafael rafal rahul raj rajesh ralph ramon
randy raphael raquel rashid raul rebecca regina reinhard renata renate rene ricardo riccardo richard rick
rita robert roberta roberto rodrigo roger roland rolf ronald rosa rosalind rosemary rosie ruth ryan
sabine sabrina sadie sahil samantha samir samuel sandra sandro sanjay sara sarah sasha satoshi scott sean
sebastian sergei sergey sergio seth shane shannon sharon shaun sheila shelley shirley siddharth sidney
silvia simon simona simone siobhan sofia sofie sonia sonja sophia sophie stacy stanislav stefan stefanie
stefano stella stephan stephanie stephen steve steven stuart susan susanne suzanne sven svetlana sylvia
sylvie takashi tamara tammy tanja tanya tara teresa terry thea theo theodore theresa thierry thomas thomasz
tiffany tim timothy tina tobias todd tom tomas tomasz tommy toni tony tracy travis trevor tristan troy ulrich
ulrike uma urszula ursula valentina valentin valeria valerie vanessa vasily vera veronica veronika victor
vikram vincent vincenzo viola virginie vivian vladimir walter wanda wei werner wilhelm william
wojciech wolfgang xavier xin yan yasmin yasmine yvette yvonne yuki yuri yusuf zachary zainab zara zoe zofia
zoltan
adaeze adebayo adeola ahmet akosua amani ayodele babajide chiamaka chinedu chinonso emeka folake ifeoma
kwabena kwame ngozi nkechi obinna oluwaseun segun tendai thabo themba uche zanele
aarav aditi aditya ananya anil anjali arun ayush bhavna deepa divya gaurav harish ishaan kavya kiran krishna
lakshmi manish meera nisha pradeep prakash pranav preeti rajiv ramesh ravi rekha rohan rohit sachin sandeep
sanjana shreya sunil sunita suresh swati tanvi varun vijay vinod vivek yash
akiko ayaka daiki haruka haruto hina hiroki kaito kazuki kenta miyu naoki riko ryota sakura shota sora
takumi tomoko yumi yusuke yuto chie emiko fumiko hideo kazuo masako noriko takeshi toshiro yoshiko
minjun seojun jiwoo seoyeon jiyeon minji hyejin jisoo jihoon sungmin younghee
wang zhang liu huang zhao zhou zheng liang xiao feng
aleksandar andrija branko darko dragan dusan goran jovana katarina ljubica milica miloš milos nemanja srdjan
stefan tatjana vesna zoran zeljko
aurelien baptistine celestine eloise fabienne gaelle josiane margaux maelle mathilde oceane solene thibault
yannick loic gaspard anaelle
annika bengt birgitta ebba elsa gunilla hakan ingeborg jorunn kjell knut lennart linnea mats nils oddvar
ragnar ragnhild sigrid solveig stig torbjorn tove ulf vigdis
aatu eero eino ilkka jaana jukka juha kaarina kalle leena lotta matti mikko minna paivi pekka riikka sanna
satu seppo tapio timo tuomas tuula valtteri ville
"""
FIRST_NAMES = frozenset(_NAMES.split())
